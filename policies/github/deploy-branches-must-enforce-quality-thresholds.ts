import { parse } from "yaml";
import { PIPELINE_DEPLOY_BRANCHES, PIPELINE_PRODUCTION_BRANCH } from "../../infra/catalogue/pipeline";
import {
  BENCHMARK_STATISTIC,
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

/**
 * The keys the platform writes in a managed file (infra/governance/builders.ts),
 * as nested mappings; a `leaf` holds a value the file's checker judges. Every
 * other key is refused, whatever its value: most of Codecov's keys can make a
 * status pass that should fail (`enabled: no`, `if_ci_failed: success`,
 * `branches:` or `flags:` scoping, a top-level `ignore:`, `round: up`), and the
 * gates file is a contract whose readers know only these keys.
 */
type Shape = { readonly [key: string]: Shape | "leaf" };

const CODECOV_SHAPE: Shape = {
  codecov: { require_ci_to_pass: "leaf", strict_yaml_branch: "leaf" },
  coverage: {
    status: {
      project: { default: { target: "leaf", threshold: "leaf" } },
      patch: { default: { target: "leaf", informational: "leaf" } },
    },
  },
};

const GATES_SHAPE: Shape = {
  snyk: { severityThreshold: "leaf", args: "leaf" },
  benchmark: { statistic: "leaf", maxRegressionPercent: "leaf", compareFail: "leaf" },
};

/** What a Codecov key the platform does not write would do to the status (codecov.yml reference, commit-status). */
const CODECOV_KEY_EFFECT: Readonly<Record<string, string>> = {
  informational: "it makes the status informational, so it never fails a pull request",
  enabled: "`enabled: no` switches the status off",
  if_ci_failed: "it sets the status posted when CI fails; success passes it",
  if_not_found: "it sets the status posted when the base has no report; success passes it",
  if_no_uploads: "it sets the status posted when nothing was uploaded; success passes it",
  only_pulls: "the status is then posted on pull requests only, not on the branch",
  branches: "it limits the status to the branches it names",
  paths: "it measures the status on the paths it names only",
  flags: "it measures the status on the uploads it names only",
  ignore: "ignored files are left out of the coverage measured",
  round: "it changes how coverage is rounded before the target is compared (`up` passes 94.01% as 95%)",
};

/** Every key of `doc` outside `shape`, as a dotted path and its value. */
function unknownKeys(doc: unknown, shape: Shape, prefix = ""): [string, unknown][] {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [];
  return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]): [string, unknown][] => {
    const path = `${prefix}${k}`;
    const inner = Object.hasOwn(shape, k) ? shape[k] : undefined;
    if (inner === undefined) return [[path, v]];
    return inner === "leaf" ? [] : unknownKeys(v, inner, `${path}.`);
  });
}

function reportUnknownKeys(where: string, doc: unknown, shape: Shape, why: (key: string) => string | undefined, report: Report): void {
  for (const [path, value] of unknownKeys(doc, shape)) {
    const effect = why(path.split(".").pop() ?? path);
    report(`${where} ${path} is ${JSON.stringify(value ?? null)}, a key the platform does not write${effect ? ` (${effect})` : ""}: remove it, and let the governance component write the file`);
  }
}

function checkCodecov(where: string, doc: unknown, report: Report): void {
  reportUnknownKeys(where, doc, CODECOV_SHAPE, (k) => (Object.hasOwn(CODECOV_KEY_EFFECT, k) ? CODECOV_KEY_EFFECT[k] : undefined), report);
  const fromComponent = "let the governance component write the file";
  const requireCi = at(doc, "codecov", "require_ci_to_pass");
  if (requireCi !== true) {
    report(`${where} codecov.require_ci_to_pass is ${JSON.stringify(requireCi ?? null)}, not true: Codecov would post its status while CI fails; ${fromComponent}`);
  }
  const yamlBranch = at(doc, "codecov", "strict_yaml_branch");
  if (yamlBranch !== PIPELINE_PRODUCTION_BRANCH) {
    report(
      `${where} codecov.strict_yaml_branch is ${JSON.stringify(yamlBranch ?? null)}, not ${PIPELINE_PRODUCTION_BRANCH}: Codecov would read codecov.yml from the commit it judges, so a pull request could lower its own target; ${fromComponent}`,
    );
  }
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
}

function checkGates(where: string, doc: unknown, report: Report): void {
  reportUnknownKeys(where, doc, GATES_SHAPE, () => "the workflows read only the keys it writes", report);
  const severity = at(doc, "snyk", "severityThreshold");
  const args = at(doc, "snyk", "args");
  const guideSeverity = GUIDE_QUALITY.snykSeverityThreshold;
  if (!(SNYK_SEVERITIES as readonly unknown[]).includes(severity) || !snykAtLeastAsStrict(severity as SnykSeverity, guideSeverity)) {
    report(`${where} snyk.severityThreshold is ${JSON.stringify(severity ?? null)}, weaker than the guide's ${guideSeverity}: set ${key("snykSeverityThreshold")} to ${guideSeverity}, medium or low`);
  } else if (args !== `--severity-threshold=${String(severity)}`) {
    report(`${where} snyk.args is ${JSON.stringify(args ?? null)}, not --severity-threshold=${String(severity)}: let the governance component write the file`);
  }
  const statistic = at(doc, "benchmark", "statistic");
  if (statistic !== BENCHMARK_STATISTIC) {
    report(`${where} benchmark.statistic is ${JSON.stringify(statistic ?? null)}, not the guide's ${BENCHMARK_STATISTIC}: let the governance component write the file`);
  }
  const max = at(doc, "benchmark", "maxRegressionPercent");
  const compare = at(doc, "benchmark", "compareFail");
  const floor = GUIDE_QUALITY.benchmarkMaxRegressionPercent;
  // pytest-benchmark's `<statistic>:<n>%`: the statistic must be the guide's, the percentage at most its floor.
  const compared = typeof compare === "string" ? /^([a-z]+):(.*)$/.exec(compare) : null;
  if (compared === null || compared[1] !== BENCHMARK_STATISTIC) {
    report(`${where} benchmark.compareFail is ${JSON.stringify(compare ?? null)}, not ${BENCHMARK_STATISTIC}:<percent>, the statistic the guide compares: let the governance component write the file`);
  }
  const amounts: [string, unknown, number | undefined][] = [["benchmark.maxRegressionPercent", max, percentOf(max)]];
  if (compared !== null && compared[1] === BENCHMARK_STATISTIC) amounts.push(["benchmark.compareFail", compare, percentOf(compared[2])]);
  for (const [field, value, n] of amounts) {
    if (n === undefined || n > floor) {
      report(`${where} ${field} is ${JSON.stringify(value ?? null)}, more than the guide's ${floor}% regression: set ${key("benchmarkMaxRegressionPercent")} to ${floor} or less`);
    }
  }
}

const CHECKERS: Readonly<Record<QualityFile, (where: string, doc: unknown, report: Report) => void>> = { codecov: checkCodecov, gates: checkGates };

export const deployBranchesMustEnforceQualityThresholds = stackPolicy({
  name: "deploy-branches-must-enforce-quality-thresholds",
  area: "github",
  description: `Each protected deploy branch carries the managed threshold files (${Object.values(QUALITY_FILES).join(", ")}) with values at least as strict as the guide (coverage >= ${GUIDE_QUALITY.coverageTarget}%, Snyk severity ${GUIDE_QUALITY.snykSeverityThreshold} or stricter, benchmark regression <= ${GUIDE_QUALITY.benchmarkMaxRegressionPercent}%), no keys but the platform's, and Codecov reading codecov.yml from ${PIPELINE_PRODUCTION_BRANCH} only; and requires each threshold's status check.`,
  remediation:
    "set github.quality in the stack file to the guide's values or stricter, and keep the threshold files and required checks the governance component creates for the deploy branch it protects",
  validate: (args, report) => {
    const files = args.resources.filter((r) => r.type === REPOSITORY_FILE);
    for (const protection of args.resources.filter((r) => r.type === BRANCH_PROTECTION)) {
      const branch = String(protection.props.pattern ?? "");
      if (!(PIPELINE_DEPLOY_BRANCHES as readonly string[]).includes(branch)) continue;
      for (const [file, path] of Object.entries(QUALITY_FILES) as [QualityFile, string][]) {
        const managed = files.filter((f) => f.props.file === path && f.props.branch === branch);
        const where = `branch ${branch}: ${path}`;
        if (managed.length === 0) {
          report(`${where} is not managed in this stack (no github.RepositoryFile on ${branch}): keep the governance component's quality files for the branch it protects`);
          continue;
        }
        // Two resources writing one file: whichever applies last wins, so each is judged, and the pair is refused.
        if (managed.length > 1) report(`${where} is written by ${managed.length} github.RepositoryFile resources: keep only the governance component's`);
        for (const m of managed) {
          const content = contentOf(m.props.content);
          if ("problem" in content) report(`${where}: ${content.problem}`);
          else CHECKERS[file](where, content.doc, report);
        }
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
