/**
 * The delivery pipeline's quality gates, as GitHub reports them as status
 * checks: the `name:` of each job in the guide's workflows (`ci-cd.yml`,
 * `security.yml`). GitHub matches a required check by this exact string, so a
 * typo makes a protected branch impossible to merge. "Test Suite" is a matrix
 * job (python-version 3.12), and GitHub appends the matrix value to its name.
 * Branch protections, the policy pack and the stack config defaults all read
 * this one list.
 */
export const PIPELINE_QUALITY_GATES = [
  "Test Suite (3.12)",
  "Code Quality",
  "Performance Tests",
  "Build & Package",
  "Security Analysis",
] as const;

export type QualityGate = (typeof PIPELINE_QUALITY_GATES)[number];

/**
 * The branches the guide's pipeline deploys from (`if: github.ref == ...` in
 * ci-cd.yml): a stack's deploy branch must be one of them, or no job would
 * ever deploy its environment.
 */
export const PIPELINE_DEPLOY_BRANCHES = ["develop", "main"] as const;
