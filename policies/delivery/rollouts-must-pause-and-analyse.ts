import { resourcePolicy } from "../lib/define";
import { asArray, asRecord, at } from "../lib/props";
import { ROLLOUT_TYPE, nameOf } from "../lib/rollouts";

/** A pause duration of nothing: 0, "0", "0s", "0m", "0h" (an absent duration is an indefinite pause). */
const isZero = (duration: unknown): boolean => duration !== undefined && /^0+(\.0*)?(s|m|h)?$/.test(String(duration).trim());

export const rolloutsMustPauseAndAnalyse = resourcePolicy({
  name: "rollouts-must-pause-and-analyse",
  area: "delivery",
  description: "A canary Rollout pauses after every weight step and runs a background analysis from the start; a blue-green Rollout analyses before promotion. Otherwise a bad release reaches everyone with nothing watching.",
  remediation: "give every canary step a pauseSeconds in delivery.canary.steps and keep the SLO analysis (the platform adds it); for blue-green keep prePromotionAnalysis",
  validate: (args, report) => {
    if (args.type !== ROLLOUT_TYPE) return;
    const name = nameOf(args.props);
    const strategy = asRecord(at(args.props, "spec", "strategy"));
    // An analysis in dry-run measures but never fails the release.
    const dryRun = (analysis: unknown, where: string) => {
      if (asArray(asRecord(analysis).dryRun).length > 0) report(`Rollout ${name}: the ${where} analysis runs in dry-run mode, so it can never stop a release`);
    };
    if (strategy.blueGreen !== undefined) {
      const pre = at(strategy, "blueGreen", "prePromotionAnalysis");
      if (!pre || asArray(asRecord(pre).templates).length === 0) report(`Rollout ${name}: blue-green without prePromotionAnalysis`);
      dryRun(pre, "pre-promotion");
      dryRun(at(strategy, "blueGreen", "postPromotionAnalysis"), "post-promotion");
      return;
    }
    const steps = asArray(at(strategy, "canary", "steps")).map(asRecord);
    if (steps.length === 0) {
      report(`Rollout ${name}: no canary steps`);
      return;
    }
    steps.forEach((step, i) => {
      const pause = steps[i + 1]?.pause;
      if (step.setWeight !== undefined && pause === undefined) report(`Rollout ${name}: step ${i} (setWeight ${String(step.setWeight)}) is not followed by a pause`);
      if (step.pause !== undefined && isZero(asRecord(step.pause).duration)) report(`Rollout ${name}: step ${i} pauses for zero seconds`);
      dryRun(step.analysis, `step ${i}`);
    });
    const analysis = asRecord(at(strategy, "canary", "analysis"));
    dryRun(analysis, "background");
    if (asArray(analysis.templates).length === 0) report(`Rollout ${name}: no background analysis`);
    else if (typeof analysis.startingStep === "number" && analysis.startingStep > 0) report(`Rollout ${name}: background analysis starts only at step ${analysis.startingStep}`);
  },
});
