/**
 * The delivery pipeline's quality gates: the `name:` of each job in the guide's
 * workflows (`.github/workflows/ci-cd.yml` and `security.yml`). GitHub matches a
 * required status check to a job by this exact string, so a typo here would make
 * a protected branch impossible to merge. Branch protections, the policy pack and
 * the stack config defaults all read this one list.
 */
export const PIPELINE_QUALITY_GATES = [
  "Test Suite",
  "Code Quality",
  "Performance Tests",
  "Build & Package",
  "Security Analysis",
] as const;

export type QualityGate = (typeof PIPELINE_QUALITY_GATES)[number];
