// GitHub governance's public surface: the component and its spec.
export { Governance } from "./component";
export type { BranchRule, GovernanceArgs, GovernanceSpec, QualityThresholds, Reviewers, SecuritySettings } from "./spec";
