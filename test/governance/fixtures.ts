import { PIPELINE_QUALITY_GATES } from "../../infra/catalogue/pipeline";
import { GovernanceSpec } from "../../infra/governance/spec";

/** The staging environment's governance as the guide runs it: deploys from develop, repository settings owned elsewhere. */
export function stagingSpec(over: Partial<GovernanceSpec> = {}): GovernanceSpec {
  return {
    owner: "leanvibe",
    repository: "agent-hive",
    environment: "staging",
    deployBranch: "develop",
    protectDeployBranch: true,
    requiredApprovals: 1,
    requiredChecks: [...PIPELINE_QUALITY_GATES],
    ownsRepositorySettings: false,
    otherBranches: [],
    dismissStaleReviews: true,
    requireCodeOwnerReviews: false,
    enforceAdmins: true,
    reviewers: { users: [], teams: [] },
    preventSelfReview: false,
    waitTimerMinutes: 0,
    protect: false,
    security: { vulnerabilityAlerts: false, dependabotSecurityUpdates: false },
    ...over,
  };
}

/** Production: deploys from main behind reviewers, owns the repository-wide settings, protected. */
export function productionSpec(over: Partial<GovernanceSpec> = {}): GovernanceSpec {
  return stagingSpec({
    environment: "production",
    deployBranch: "main",
    requiredApprovals: 2,
    ownsRepositorySettings: true,
    otherBranches: [{ pattern: "release/*", requiredApprovals: 2, requiredChecks: [...PIPELINE_QUALITY_GATES] }],
    requireCodeOwnerReviews: true,
    reviewers: { users: [1001], teams: [2002] },
    preventSelfReview: true,
    waitTimerMinutes: 5,
    protect: true,
    security: { vulnerabilityAlerts: true, dependabotSecurityUpdates: true },
    ...over,
  });
}
