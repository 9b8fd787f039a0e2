import { resourcePolicy } from "../lib/define";
import { asArray, asRecord, at } from "../lib/props";
import { ROLLOUT_TYPE, nameOf } from "../lib/rollouts";

export const rolloutsMustPauseAndAnalyse = resourcePolicy({
  name: "rollouts-must-pause-and-analyse",
  area: "delivery",
  description: "A canary Rollout pauses after every weight step and runs a background analysis from the start; a blue-green Rollout analyses before promotion. Otherwise a bad release reaches everyone with nothing watching.",
  remediation: "give every canary step a pauseSeconds in delivery.canary.steps and keep the SLO analysis (the platform adds it); for blue-green keep prePromotionAnalysis",
  validate: (args, report) => {
    if (args.type !== ROLLOUT_TYPE) return;
    const name = nameOf(args.props);
    const strategy = asRecord(at(args.props, "spec", "strategy"));
    if (strategy.blueGreen !== undefined) {
      if (!at(strategy, "blueGreen", "prePromotionAnalysis")) report(`Rollout ${name}: blue-green without prePromotionAnalysis`);
      return;
    }
    const steps = asArray(at(strategy, "canary", "steps")).map(asRecord);
    if (steps.length === 0) {
      report(`Rollout ${name}: no canary steps`);
      return;
    }
    steps.forEach((step, i) => {
      if (step.setWeight !== undefined && steps[i + 1]?.pause === undefined) report(`Rollout ${name}: step ${i} (setWeight ${String(step.setWeight)}) is not followed by a pause`);
    });
    const analysis = asRecord(at(strategy, "canary", "analysis"));
    if (asArray(analysis.templates).length === 0) report(`Rollout ${name}: no background analysis`);
    else if (typeof analysis.startingStep === "number" && analysis.startingStep > 0) report(`Rollout ${name}: background analysis starts only at step ${analysis.startingStep}`);
  },
});
