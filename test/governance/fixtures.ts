import { PIPELINE_QUALITY_GATES } from "../../infra/catalogue/pipeline";
import { GovernanceSpec } from "../../infra/governance/spec";
import { committedConfig } from "../support/stacks";
import { specFromConfig } from "./program";

// The governance specs the committed stacks give the program, projected from
// Pulumi.staging.yaml and Pulumi.production.yaml exactly as stacks/platform.ts
// does. Tests change one field each.

/** Staging: deploys from develop, repository settings owned elsewhere. */
export function stagingSpec(over: Partial<GovernanceSpec> = {}): GovernanceSpec {
  return structuredClone(specFromConfig(committedConfig("staging"), over));
}

/** Production: deploys from main behind reviewers, owns the repository-wide settings, protected. */
export function productionSpec(over: Partial<GovernanceSpec> = {}): GovernanceSpec {
  return structuredClone(specFromConfig(committedConfig("production"), over));
}

/** A variation no committed stack has: the repository owner also protects the release branches. */
export const RELEASE_BRANCHES: Partial<GovernanceSpec> = {
  otherBranches: [{ pattern: "release/*", requiredApprovals: 2, requiredChecks: [...PIPELINE_QUALITY_GATES] }],
};
