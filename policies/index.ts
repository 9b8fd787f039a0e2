import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, qualityGates } from "./pack";

// The entry the Pulumi engine runs: `pulumi preview --policy-pack policies
// --policy-pack-config policies/config/<stack>.json`. The offline runner
// (npm run policy) evaluates the same policy objects from ./pack.
new PolicyPack(PACK_NAME, {
  description: "LeanVibe Agent Hive quality gates: Kubernetes hardening, progressive delivery, monitoring, GitHub governance and protection.",
  enforcementLevel: "mandatory",
  policies: qualityGates().map((g) => g.policy),
});
