import type { PipelineDeployBranch, QualityGate } from "./pipeline";

/**
 * The guide's quality thresholds (cicd-operations-guide.md): "Maintain >95%
 * test coverage" (uploaded by codecov/codecov-action), Snyk with
 * `--severity-threshold=high`, and pytest `--benchmark-compare-fail=min:5%`.
 * These are the floor: the stack config defaults to them, and the policy pack
 * refuses a stack whose managed files are weaker. Codecov's `target: 95%`
 * passes at 95.00 %, the closest a Codecov status comes to the guide's ">95%".
 */
export const GUIDE_QUALITY = {
  coverageTarget: 95,
  snykSeverityThreshold: "high",
  benchmarkMaxRegressionPercent: 5,
} as const;

/** Snyk's `--severity-threshold` values, most to least strict: `low` reports (and fails on) the most. */
export const SNYK_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type SnykSeverity = (typeof SNYK_SEVERITIES)[number];

/** Whether `severity` fails a scan on at least what `floor` fails it on. */
export function snykAtLeastAsStrict(severity: SnykSeverity, floor: SnykSeverity): boolean {
  return SNYK_SEVERITIES.indexOf(severity) <= SNYK_SEVERITIES.indexOf(floor);
}

/**
 * The benchmark statistic pytest-benchmark compares (`--benchmark-compare-fail=<stat>:<n>%`):
 * the guide's `min`, the least noisy on shared CI runners.
 */
export const BENCHMARK_STATISTIC = "min";

/**
 * The files the platform manages in the application repository, on each
 * protected deploy branch. `codecov.yml` is where Codecov reads its statuses;
 * the gates file is this platform's contract with the application's
 * workflows, which read the Snyk and benchmark thresholds from it
 * (docs/quality-gates.md shows the steps).
 */
export const QUALITY_FILES = {
  codecov: "codecov.yml",
  gates: ".github/quality-gates.yml",
} as const;
export type QualityFile = keyof typeof QUALITY_FILES;
export const QUALITY_FILE_KEYS: readonly QualityFile[] = Object.keys(QUALITY_FILES) as QualityFile[];

/** The status check Codecov reports for the project-wide coverage status of codecov.yml. */
export const CODECOV_PROJECT_CHECK = "codecov/project";

/**
 * Each threshold, the file that carries it, and the status check that fails a
 * pull request breaking it: the one place a threshold's check is named. The
 * check is required on a deploy branch only when it runs on pull requests
 * into that branch (`pullRequestBranches`, from the `on.pull_request` of the
 * guide's workflows): the guide's security.yml runs "Security Analysis" for
 * pull requests into `main` only, and a required check that never runs makes
 * a branch impossible to merge.
 */
export const QUALITY_THRESHOLDS = {
  coverageTarget: { file: "codecov", check: CODECOV_PROJECT_CHECK, pullRequestBranches: ["main", "develop"] },
  snykSeverityThreshold: { file: "gates", check: "Security Analysis", pullRequestBranches: ["main"] },
  benchmarkMaxRegressionPercent: { file: "gates", check: "Performance Tests", pullRequestBranches: ["main", "develop"] },
  // A pipeline job's check is typed against PIPELINE_QUALITY_GATES, so a typo does not compile.
} as const satisfies Record<keyof typeof GUIDE_QUALITY, { file: QualityFile; check: QualityGate | typeof CODECOV_PROJECT_CHECK; pullRequestBranches: readonly PipelineDeployBranch[] }>;
export type QualityThreshold = keyof typeof QUALITY_THRESHOLDS;
export const QUALITY_THRESHOLD_KEYS: readonly QualityThreshold[] = Object.keys(QUALITY_THRESHOLDS) as QualityThreshold[];

/** The checks a protected `branch` must require so that each threshold is enforced, in table order. */
export function thresholdChecks(branch: string): string[] {
  return QUALITY_THRESHOLD_KEYS.map((k) => QUALITY_THRESHOLDS[k]).filter((t) => (t.pullRequestBranches as readonly string[]).includes(branch)).map((t) => t.check);
}
