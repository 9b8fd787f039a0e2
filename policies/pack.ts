import type { EnforcementLevel } from "@pulumi/policy";
import { QualityGate } from "./lib/define";
import { rolloutsMustHaveDisruptionBudget } from "./delivery/rollouts-must-have-disruption-budget";
import { rolloutsMustPauseAndAnalyse } from "./delivery/rollouts-must-pause-and-analyse";
import { productionRolloutsMustHaveMinReplicas } from "./delivery/production-rollouts-must-have-min-replicas";
import { deployBranchesMustBeProtected } from "./github/deploy-branches-must-be-protected";
import { deployBranchesMustEnforceQualityGates } from "./github/deploy-branches-must-enforce-quality-gates";
import { deployBranchesMustEnforceQualityThresholds } from "./github/deploy-branches-must-enforce-quality-thresholds";
import { productionEnvironmentMustRequireReview } from "./github/production-environment-must-require-review";
import { secretsMustBeSecretOutputs } from "./github/secrets-must-be-secret-outputs";
import { containersMustDropAllCapabilities } from "./kubernetes/containers-must-drop-all-capabilities";
import { containersMustHaveHealthProbes } from "./kubernetes/containers-must-have-health-probes";
import { containersMustHaveReadOnlyRootFilesystem } from "./kubernetes/containers-must-have-read-only-root-filesystem";
import { containersMustNotEscalatePrivileges } from "./kubernetes/containers-must-not-escalate-privileges";
import { containersMustSetRequestsAndLimits } from "./kubernetes/containers-must-set-requests-and-limits";
import { imagesMustBePinned } from "./kubernetes/images-must-be-pinned";
import { kubernetesApisMustBeStable } from "./kubernetes/kubernetes-apis-must-be-stable";
import { podsMustNotShareHostNamespaces } from "./kubernetes/pods-must-not-share-host-namespaces";
import { podsMustRunAsNonRoot } from "./kubernetes/pods-must-run-as-non-root";
import { podsMustUseRuntimeDefaultSeccomp } from "./kubernetes/pods-must-use-runtime-default-seccomp";
import { resourcesMustNotUseDefaultNamespace } from "./kubernetes/resources-must-not-use-default-namespace";
import { servicesMustNotBeExposedExternally } from "./kubernetes/services-must-not-be-exposed-externally";
import { alertsMustHaveSeverityAndSummary } from "./monitoring/alerts-must-have-severity-and-summary";
import { prometheusRulesMustParse } from "./monitoring/prometheus-rules-must-parse";
import { dashboardLogQueriesMustParse } from "./monitoring/dashboard-log-queries-must-parse";
import { servicesMustBeMonitored } from "./monitoring/services-must-be-monitored";
import { governanceResourcesMustBeProtected } from "./options/governance-resources-must-be-protected";
import { productionNamespacesMustBeProtected } from "./options/production-namespaces-must-be-protected";
import { stackIdentityMustMatch } from "./options/stack-identity-must-match";
import { podsMustNotMountHostPaths } from "./kubernetes/pods-must-not-mount-host-paths";
import { secretsMustNotBeLiteralEnv } from "./kubernetes/secrets-must-not-be-literal-env";
import { environmentNamespacesMustBeHardened } from "./kubernetes/environment-namespaces-must-be-hardened";
import { workloadsMustBeRollouts } from "./delivery/workloads-must-be-rollouts";
import { analysisTemplatesMustExist } from "./delivery/analysis-templates-must-exist";
import { reviewStacksMustStayInTheirNamespace } from "./options/review-stacks-must-stay-in-their-namespace";
import { ingressesMustHaveTls } from "./kubernetes/ingresses-must-have-tls";

export const PACK_NAME = "agent-hive-quality-gates";

/** Every policy of the pack, by area. Each factory takes the enforcement level. */
export const POLICY_FACTORIES: readonly ((level: EnforcementLevel) => QualityGate)[] = [
  podsMustRunAsNonRoot,
  containersMustNotEscalatePrivileges,
  containersMustDropAllCapabilities,
  containersMustHaveReadOnlyRootFilesystem,
  podsMustUseRuntimeDefaultSeccomp,
  containersMustSetRequestsAndLimits,
  containersMustHaveHealthProbes,
  podsMustNotShareHostNamespaces,
  podsMustNotMountHostPaths,
  secretsMustNotBeLiteralEnv,
  environmentNamespacesMustBeHardened,
  servicesMustNotBeExposedExternally,
  ingressesMustHaveTls,
  resourcesMustNotUseDefaultNamespace,
  kubernetesApisMustBeStable,
  imagesMustBePinned,
  productionRolloutsMustHaveMinReplicas,
  rolloutsMustPauseAndAnalyse,
  rolloutsMustHaveDisruptionBudget,
  workloadsMustBeRollouts,
  analysisTemplatesMustExist,
  servicesMustBeMonitored,
  prometheusRulesMustParse,
  dashboardLogQueriesMustParse,
  alertsMustHaveSeverityAndSummary,
  deployBranchesMustEnforceQualityGates,
  deployBranchesMustEnforceQualityThresholds,
  deployBranchesMustBeProtected,
  productionEnvironmentMustRequireReview,
  secretsMustBeSecretOutputs,
  productionNamespacesMustBeProtected,
  governanceResourcesMustBeProtected,
  stackIdentityMustMatch,
  reviewStacksMustStayInTheirNamespace,
];

/**
 * The pack's policies at a default level. Without a config file everything is
 * mandatory; `policies/config/<stack>.json` relaxes per stack (the engine's
 * `--policy-pack-config`, and the offline runner, read the same file).
 */
export function qualityGates(level: EnforcementLevel = "mandatory"): QualityGate[] {
  return POLICY_FACTORIES.map((f) => f(level));
}
