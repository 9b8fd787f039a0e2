import { parse } from "yaml";
import { PIPELINE_DEPLOY_BRANCHES } from "../../infra/catalogue/pipeline";
import {
  GUIDE_QUALITY,
  QUALITY_FILES,
  QUALITY_THRESHOLDS,
  QUALITY_THRESHOLD_KEYS,
  QualityFile,
  SNYK_SEVERITIES,
  SnykSeverity,
  snykAtLeastAsStrict,
  thresholdChecks,
} from "../../infra/catalogue/quality";
import { stackPolicy } from "../lib/define";
import { BRANCH_PROTECTION, REPOSITORY_FILE } from "../lib/github";
import { asArray, asRecord, at } from "../lib/props";

/*
 * The guide's thresholds are the floor (infra/catalogue/quality.ts), not a
 * policy setting: a stack may be stricter, never weaker. The stack config's
 * schema only checks that a threshold is a threshold; this gate judges it, so
 * a weaker stack still plans and its review shows the violation by name.
 */

type Report = (message: string) => void;

/** `95%`, `95`, 95 -> 95; anything else undefined. */
function percentOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const m = typeof value === "string" ? /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value) : null;
  return m ? Number(m[1]) : undefined;
}

/** The parsed YAML of a managed file's content, or a problem. */
function contentOf(content: unknown): { doc: unknown } | { problem: string } {
  if (typeof content !== "string") return { problem: "its content is not known at preview" };
  try {
    return { doc: parse(content) as unknown };
  } catch (e) {
    return { problem: `its content is not YAML (${(e as Error).message.split("\n")[0]})` };
  }
}

const key = (threshold: keyof typeof GUIDE_QUALITY) => `github.quality.${threshold}`;

function checkCodecov(where: string, doc: unknown, report: Report): void {
  const project = asRecord(at(doc, "coverage", "status", "project", "default"));
  const target = percentOf(project.target);
  const threshold = percentOf(project.threshold ?? 0);
  const floor = GUIDE_QUALITY.coverageTarget;
  const fix = `set ${key("coverageTarget")} to ${floor} or more`;
  if (target === undefined) {
    report(`${where} coverage.status.project.default.target is ${JSON.stringify(project.target ?? null)}, not a fixed percentage: ${fix}`);
  } else if (threshold === undefined || target - threshold < floor) {
    report(`${where} coverage.status.project.default.target is ${target}% (threshold ${JSON.stringify(project.threshold ?? "0%")}), below the guide's ${floor}%: ${fix}`);
  }
  if (project.informational === true) report(`${where} coverage.status.project.default is informational, so it never fails a pull request: remove informational`);
}

function checkGates(where: string, doc: unknown, report: Report): void {
  const severity = at(doc, "snyk", "severityThreshold");
  const args = at(doc, "snyk", "args");
  const guideSeverity = GUIDE_QUALITY.snykSeverityThreshold;
  if (!(SNYK_SEVERITIES as readonly unknown[]).includes(severity) || !snykAtLeastAsStrict(severity as SnykSeverity, guideSeverity)) {
    report(`${where} snyk.severityThreshold is ${JSON.stringify(severity ?? null)}, weaker than the guide's ${guideSeverity}: set ${key("snykSeverityThreshold")} to ${guideSeverity}, medium or low`);
  } else if (args !== `--severity-threshold=${String(severity)}`) {
    report(`${where} snyk.args is ${JSON.stringify(args ?? null)}, not --severity-threshold=${String(severity)}: let the governance component write the file`);
  }
  const max = at(doc, "benchmark", "maxRegressionPercent");
  const compare = at(doc, "benchmark", "compareFail");
  const floor = GUIDE_QUALITY.benchmarkMaxRegressionPercent;
  const compared = typeof compare === "string" ? percentOf(compare.replace(/^[a-z]+:/, "")) : undefined;
  for (const [field, value, n] of [["benchmark.maxRegressionPercent", max, percentOf(max)], ["benchmark.compareFail", compare, compared]] as const) {
    if (n === undefined || n > floor) {
      report(`${where} ${field} is ${JSON.stringify(value ?? null)}, more than the guide's ${floor}% regression: set ${key("benchmarkMaxRegressionPercent")} to ${floor} or less`);
    }
  }
}

const CHECKERS: Readonly<Record<QualityFile, (where: string, doc: unknown, report: Report) => void>> = { codecov: checkCodecov, gates: checkGates };

export const deployBranchesMustEnforceQualityThresholds = stackPolicy({
  name: "deploy-branches-must-enforce-quality-thresholds",
  area: "github",
  description: `Each protected deploy branch carries the managed threshold files (${Object.values(QUALITY_FILES).join(", ")}) with values at least as strict as the guide (coverage >= ${GUIDE_QUALITY.coverageTarget}%, Snyk severity ${GUIDE_QUALITY.snykSeverityThreshold} or stricter, benchmark regression <= ${GUIDE_QUALITY.benchmarkMaxRegressionPercent}%), and requires each threshold's status check.`,
  remediation:
    "set github.quality in the stack file to the guide's values or stricter, and keep the threshold files and required checks the governance component creates for the deploy branch it protects",
  validate: (args, report) => {
    const files = args.resources.filter((r) => r.type === REPOSITORY_FILE);
    for (const protection of args.resources.filter((r) => r.type === BRANCH_PROTECTION)) {
      const branch = String(protection.props.pattern ?? "");
      if (!(PIPELINE_DEPLOY_BRANCHES as readonly string[]).includes(branch)) continue;
      for (const [file, path] of Object.entries(QUALITY_FILES) as [QualityFile, string][]) {
        const managed = files.find((f) => f.props.file === path && f.props.branch === branch);
        const where = `branch ${branch}: ${path}`;
        if (managed === undefined) {
          report(`${where} is not managed in this stack (no github.RepositoryFile on ${branch}): keep the governance component's quality files for the branch it protects`);
          continue;
        }
        const content = contentOf(managed.props.content);
        if ("problem" in content) report(`${where}: ${content.problem}`);
        else CHECKERS[file](where, content.doc, report);
      }
      const contexts = asArray(asRecord(asArray(protection.props.requiredStatusChecks)[0]).contexts).map(String);
      for (const threshold of QUALITY_THRESHOLD_KEYS) {
        const { check } = QUALITY_THRESHOLDS[threshold];
        if (thresholdChecks(branch).includes(check) && !contexts.includes(check)) {
          report(`branch ${branch}: required checks miss "${check}", which enforces ${key(threshold)}: require it on the branch (the config layer adds it to github.requiredChecks)`);
        }
      }
    }
  },
});
