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
export type PipelineDeployBranch = (typeof PIPELINE_DEPLOY_BRANCHES)[number];

/**
 * The branch the guide's pipeline deploys production from (`if: github.ref ==
 * 'refs/heads/main'` in ci-cd.yml). What is read from it is what production
 * ships under, so configuration a pull request must not change for itself
 * (Codecov's `strict_yaml_branch`) is read from here.
 */
export const PIPELINE_PRODUCTION_BRANCH = "main" satisfies PipelineDeployBranch;

/**
 * Who sets the image a Rollout runs (the stack config's `delivery.imageOwner`):
 * `stack` = `pulumi up` of the pinned tag in the stack file, `pipeline` = the
 * application pipeline's `kubectl argo rollouts set image`. The delivery
 * slice then leaves the image alone, and the deployer may `update` Rollouts.
 */
export const IMAGE_OWNERS = ["stack", "pipeline"] as const;
export type ImageOwner = (typeof IMAGE_OWNERS)[number];

/**
 * Approving reviews a pull request into a protected branch needs: at least
 * one (a protection nobody reviews is only a delay), and GitHub's own maximum, 6.
 */
export const REQUIRED_APPROVALS = { min: 1, max: 6 } as const;

// GitHub's rule for Actions secret names.
const SECRET_NAME = /^(?!GITHUB_)[A-Z_][A-Z0-9_]*$/;

/** Whether GitHub accepts `name` as an Actions secret name: A-Z, 0-9 and `_`, not starting with a digit or `GITHUB_`. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The environment secret names the deploy jobs read, derived from the GitHub
 * environment's name only (`staging` -> KUBE_CONFIG_STAGING, STAGING_API_KEY),
 * so a new environment gets its names without code. Characters a secret name
 * cannot hold become `_` (`qa-east` -> KUBE_CONFIG_QA_EAST). The config edge
 * refuses an environment whose names GitHub would refuse (`isSecretName`).
 */
export function environmentSecretNames(environment: string): { readonly kubeconfig: string; readonly apiKey: string } {
  const env = environment.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return { kubeconfig: `KUBE_CONFIG_${env}`, apiKey: `${env}_API_KEY` };
}
