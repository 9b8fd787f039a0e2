import type { EnforcementLevel } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { QualityGate } from "../../policies/lib/define";
import { POLICY_FACTORIES } from "../../policies/pack";
import { rolloutsMustHaveDisruptionBudget } from "../../policies/delivery/rollouts-must-have-disruption-budget";
import { rolloutsMustPauseAndAnalyse } from "../../policies/delivery/rollouts-must-pause-and-analyse";
import { productionRolloutsMustHaveMinReplicas } from "../../policies/delivery/production-rollouts-must-have-min-replicas";
import { deployBranchesMustBeProtected } from "../../policies/github/deploy-branches-must-be-protected";
import { deployBranchesMustEnforceQualityGates } from "../../policies/github/deploy-branches-must-enforce-quality-gates";
import { deployBranchesMustEnforceQualityThresholds } from "../../policies/github/deploy-branches-must-enforce-quality-thresholds";
import { productionEnvironmentMustRequireReview } from "../../policies/github/production-environment-must-require-review";
import { secretsMustBeSecretOutputs } from "../../policies/github/secrets-must-be-secret-outputs";
import { containersMustDropAllCapabilities } from "../../policies/kubernetes/containers-must-drop-all-capabilities";
import { containersMustHaveHealthProbes } from "../../policies/kubernetes/containers-must-have-health-probes";
import { containersMustHaveReadOnlyRootFilesystem } from "../../policies/kubernetes/containers-must-have-read-only-root-filesystem";
import { containersMustNotEscalatePrivileges } from "../../policies/kubernetes/containers-must-not-escalate-privileges";
import { containersMustSetRequestsAndLimits } from "../../policies/kubernetes/containers-must-set-requests-and-limits";
import { imagesMustBePinned } from "../../policies/kubernetes/images-must-be-pinned";
import { kubernetesApisMustBeStable } from "../../policies/kubernetes/kubernetes-apis-must-be-stable";
import { podsMustNotShareHostNamespaces } from "../../policies/kubernetes/pods-must-not-share-host-namespaces";
import { podsMustRunAsNonRoot } from "../../policies/kubernetes/pods-must-run-as-non-root";
import { podsMustUseRuntimeDefaultSeccomp } from "../../policies/kubernetes/pods-must-use-runtime-default-seccomp";
import { resourcesMustNotUseDefaultNamespace } from "../../policies/kubernetes/resources-must-not-use-default-namespace";
import { servicesMustNotBeExposedExternally } from "../../policies/kubernetes/services-must-not-be-exposed-externally";
import { alertsMustHaveSeverityAndSummary } from "../../policies/monitoring/alerts-must-have-severity-and-summary";
import { prometheusRulesMustParse } from "../../policies/monitoring/prometheus-rules-must-parse";
import { dashboardLogQueriesMustParse } from "../../policies/monitoring/dashboard-log-queries-must-parse";
import { servicesMustBeMonitored } from "../../policies/monitoring/services-must-be-monitored";
import { governanceResourcesMustBeProtected } from "../../policies/options/governance-resources-must-be-protected";
import { productionNamespacesMustBeProtected } from "../../policies/options/production-namespaces-must-be-protected";
import { stackIdentityMustMatch } from "../../policies/options/stack-identity-must-match";
import { podsMustNotMountHostPaths } from "../../policies/kubernetes/pods-must-not-mount-host-paths";
import { secretsMustNotBeLiteralEnv } from "../../policies/kubernetes/secrets-must-not-be-literal-env";
import { environmentNamespacesMustBeHardened } from "../../policies/kubernetes/environment-namespaces-must-be-hardened";
import { workloadsMustBeRollouts } from "../../policies/delivery/workloads-must-be-rollouts";
import { analysisTemplatesMustExist } from "../../policies/delivery/analysis-templates-must-exist";
import { reviewStacksMustStayInTheirNamespace } from "../../policies/options/review-stacks-must-stay-in-their-namespace";
import { ingressesMustHaveTls } from "../../policies/kubernetes/ingresses-must-have-tls";
import { PolicyConfigFile } from "../../stacks/offline/policy";
import { PlanValue } from "../../stacks/offline/redact";
import { PIPELINE_QUALITY_GATES } from "../../infra/catalogue/pipeline";
import { Fixture, codecovFile, compliantStack, resource, violationsOf } from "./fixtures";

type Stack = Fixture[];
type Json = { [key: string]: PlanValue };

/** Sets (or with `undefined`, deletes) a dotted path inside the first fixture of a type. */
function edit(stack: Stack, type: string, path: string, value: PlanValue | undefined): Stack {
  const target = stack.find((r) => r.type.endsWith(type));
  if (!target) throw new Error(`no fixture of type ${type}`);
  const keys = path.split(".");
  let cur: Json | PlanValue[] = target.inputs;
  for (const k of keys.slice(0, -1)) cur = (cur as Json)[k] as Json;
  const last = keys[keys.length - 1];
  if (value === undefined) delete (cur as Json)[last];
  else (cur as Json)[last] = value;
  return stack;
}
/** Removes a label (its key has dots, so `edit` cannot reach it) from the namespace. */
function withoutLabel(stack: Stack, label: string): Stack {
  const ns = stack.find((r) => r.type.endsWith(":Namespace"));
  delete ((ns?.inputs.metadata as Json).labels as Json)[label];
  return stack;
}
/** Rewrites the content of the managed file at `file`. */
function withFile(stack: Stack, file: string, change: (content: string) => string): Stack {
  const target = stack.find((r) => r.inputs.file === file);
  if (!target) throw new Error(`no managed file ${file}`);
  target.inputs.content = change(String(target.inputs.content));
  return stack;
}
const C = "spec.template.spec.containers.0";
const LOKI_SOURCE = { type: "loki", uid: "loki" };
/** A dashboard model with one logs panel, as a ConfigMap holds it. */
const logsDashboard = (panel: Json): string => JSON.stringify({ panels: [{ title: "Logs", type: "logs", ...panel }] });
const ROLLOUT = ":Rollout";

interface Case {
  readonly factory: (level: EnforcementLevel) => QualityGate;
  readonly config?: PolicyConfigFile;
  readonly violations: readonly { name: string; change: (s: Stack) => Stack; says: RegExp }[];
}

const cases: Case[] = [
  { factory: podsMustRunAsNonRoot, violations: [
    { name: "container runAsNonRoot false", change: (s) => edit(s, ROLLOUT, `${C}.securityContext.runAsNonRoot`, false), says: /may run as root/ },
    { name: "runAsUser 0", change: (s) => edit(s, ROLLOUT, `${C}.securityContext.runAsUser`, 0), says: /may run as root/ },
  ] },
  { factory: containersMustNotEscalatePrivileges, violations: [
    { name: "allowPrivilegeEscalation unset", change: (s) => edit(s, ROLLOUT, `${C}.securityContext.allowPrivilegeEscalation`, undefined), says: /allows privilege escalation/ },
    { name: "privileged", change: (s) => edit(s, ROLLOUT, `${C}.securityContext.privileged`, true), says: /is privileged/ },
  ] },
  { factory: containersMustDropAllCapabilities, violations: [
    { name: "drop not ALL", change: (s) => edit(s, ROLLOUT, `${C}.securityContext.capabilities.drop`, ["NET_RAW"]), says: /does not drop ALL/ },
    { name: "adds SYS_ADMIN", change: (s) => edit(s, ROLLOUT, `${C}.securityContext.capabilities.add`, ["SYS_ADMIN"]), says: /adds capabilities SYS_ADMIN/ },
  ] },
  { factory: containersMustHaveReadOnlyRootFilesystem, violations: [
    { name: "writable root", change: (s) => edit(s, ROLLOUT, `${C}.securityContext.readOnlyRootFilesystem`, false), says: /writable root filesystem/ },
  ] },
  { factory: podsMustUseRuntimeDefaultSeccomp, violations: [
    { name: "no seccomp", change: (s) => edit(s, ROLLOUT, "spec.template.spec.securityContext.seccompProfile", undefined), says: /seccomp profile unset/ },
    { name: "unconfined", change: (s) => edit(s, ROLLOUT, `${C}.securityContext.seccompProfile`, { type: "Unconfined" }), says: /Unconfined/ },
  ] },
  { factory: containersMustSetRequestsAndLimits, violations: [
    { name: "no memory limit", change: (s) => edit(s, ROLLOUT, `${C}.resources.limits.memory`, undefined), says: /lacks limits\.memory/ },
    { name: "no requests", change: (s) => edit(s, ROLLOUT, `${C}.resources.requests`, undefined), says: /lacks requests\.cpu, requests\.memory/ },
  ] },
  { factory: containersMustHaveHealthProbes, violations: [
    { name: "no readiness", change: (s) => edit(s, ROLLOUT, `${C}.readinessProbe`, undefined), says: /no readinessProbe/ },
    { name: "no liveness", change: (s) => edit(s, ROLLOUT, `${C}.livenessProbe`, undefined), says: /no livenessProbe/ },
  ] },
  { factory: podsMustNotShareHostNamespaces, violations: [
    { name: "hostNetwork", change: (s) => edit(s, ROLLOUT, "spec.template.spec.hostNetwork", true), says: /sets hostNetwork/ },
    { name: "hostPort", change: (s) => edit(s, ROLLOUT, `${C}.ports.0.hostPort`, 8080), says: /binds hostPort 8080/ },
  ] },
  { factory: servicesMustNotBeExposedExternally, violations: [
    { name: "LoadBalancer", change: (s) => edit(s, ":Service", "spec.type", "LoadBalancer"), says: /type LoadBalancer/ },
    { name: "NodePort", change: (s) => edit(s, ":Service", "spec.type", "NodePort"), says: /type NodePort/ },
  ] },
  { factory: ingressesMustHaveTls, violations: [
    { name: "the production Ingress loses its TLS", change: (s) => edit(s, ":Ingress", "spec.tls", undefined), says: /Ingress agent-hive-production\/agent-hive serves api\.agent-hive\.com without TLS/ },
    { name: "a TLS entry without a Secret", change: (s) => edit(s, ":Ingress", "spec.tls.0.secretName", undefined), says: /serves api\.agent-hive\.com without TLS/ },
    { name: "a second host TLS does not list", change: (s) => edit(s, ":Ingress", "spec.rules.1", { host: "admin.agent-hive.com", http: { paths: [] } }), says: /^Ingress agent-hive-production\/agent-hive serves admin\.agent-hive\.com without TLS: no tls entry with a secretName lists it$/ },
    { name: "a rule without a host", change: (s) => edit(s, ":Ingress", "spec.rules.0.host", undefined), says: /has a rule without a host/ },
    { name: "a default backend beside covered rules", change: (s) => edit(s, ":Ingress", "spec.defaultBackend", { service: { name: "agent-hive-service", port: { number: 8080 } } }), says: /serves every other host through its default backend/ },
    { name: "the HTTPS redirect turned off as Go's ParseBool reads 0", change: (s) => edit(s, ":Ingress", "metadata.annotations", { "nginx.ingress.kubernetes.io/ssl-redirect": "0" }), says: /ssl-redirect: "0", which makes ingress-nginx serve its hosts over plain HTTP/ },
    { name: "a v1beta1-style catch-all backend", change: (s) => edit(s, ":Ingress", "spec.backend", { serviceName: "agent-hive-service", servicePort: 8080 }), says: /serves every other host through its default backend/ },
    { name: "the HTTPS redirect turned off", change: (s) => edit(s, ":Ingress", "metadata.annotations", { "nginx.ingress.kubernetes.io/ssl-redirect": "False" }), says: /has nginx\.ingress\.kubernetes\.io\/ssl-redirect: "False", which makes ingress-nginx serve its hosts over plain HTTP beside TLS/ },
    { name: "a wildcard certificate does not cover two labels down", change: (s) => edit(edit(s, ":Ingress", "spec.tls.0.hosts", ["*.agent-hive.com"]), ":Ingress", "spec.rules.0.host", "eu.api.agent-hive.com"), says: /serves eu\.api\.agent-hive\.com without TLS/ },
  ] },
  { factory: resourcesMustNotUseDefaultNamespace, violations: [
    { name: "default namespace", change: (s) => edit(s, ":Service", "metadata.namespace", "default"), says: /in namespace default/ },
    { name: "no namespace", change: (s) => edit(s, ":PodDisruptionBudget", "metadata.namespace", undefined), says: /unset, so default/ },
  ] },
  { factory: kubernetesApisMustBeStable, violations: [
    { name: "policy/v1beta1", change: (s) => [...s, resource("kubernetes:policy/v1beta1:PodDisruptionBudget", "old", { metadata: { name: "x" } })], says: /pre-release API policy\/v1beta1/ },
  ] },
  { factory: imagesMustBePinned, violations: [
    { name: "latest", change: (s) => edit(s, ROLLOUT, `${C}.image`, "ghcr.io/leanvibe/agent-hive:latest"), says: /not pinned \(latest\)/ },
    { name: "no tag", change: (s) => edit(s, ROLLOUT, `${C}.image`, "ghcr.io/leanvibe/agent-hive"), says: /not pinned \(no tag\)/ },
    { name: "registry port is not a tag", change: (s) => edit(s, ROLLOUT, `${C}.image`, "registry:5000/agent-hive"), says: /not pinned \(no tag\)/ },
  ] },
  { factory: imagesMustBePinned, config: { "images-must-be-pinned": { requireDigest: true } }, violations: [
    { name: "tag where a digest is required", change: (s) => s, says: /not pinned by digest/ },
  ] },
  { factory: productionRolloutsMustHaveMinReplicas, violations: [
    { name: "2 replicas in production", change: (s) => edit(s, ROLLOUT, "spec.replicas", 2), says: /has 2 replicas; at least 3/ },
  ] },
  { factory: rolloutsMustPauseAndAnalyse, violations: [
    { name: "weight without pause", change: (s) => edit(s, ROLLOUT, "spec.strategy.canary.steps", [{ setWeight: 10 }, { setWeight: 50 }, { pause: {} }]), says: /step 0 \(setWeight 10\) is not followed by a pause/ },
    { name: "no analysis", change: (s) => edit(s, ROLLOUT, "spec.strategy.canary.analysis", undefined), says: /no background analysis/ },
    { name: "late analysis", change: (s) => edit(s, ROLLOUT, "spec.strategy.canary.analysis.startingStep", 2), says: /starts only at step 2/ },
    { name: "blue-green without analysis", change: (s) => edit(s, ROLLOUT, "spec.strategy", { blueGreen: { activeService: "a", previewService: "b" } }), says: /without prePromotionAnalysis/ },
  ] },
  { factory: rolloutsMustHaveDisruptionBudget, violations: [
    { name: "no PDB", change: (s) => s.filter((r) => !r.type.endsWith(":PodDisruptionBudget")), says: /has no PodDisruptionBudget/ },
    { name: "PDB selects other pods", change: (s) => edit(s, ":PodDisruptionBudget", "spec.selector", { matchLabels: { app: "other" } }), says: /has no PodDisruptionBudget/ },
  ] },
  { factory: servicesMustBeMonitored, violations: [
    { name: "no monitor of its pods (another ServiceMonitor does not count)", change: (s) => s.filter((r) => !r.type.endsWith(":PodMonitor")), says: /not scraped/ },
    {
      name: "a ServiceMonitor over a Service that selects other pods",
      change: (s) => [
        ...s.filter((r) => !r.type.endsWith(":PodMonitor")),
        resource("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "svc-monitor", { metadata: { name: "m", namespace: "agent-hive-production" }, spec: { selector: { matchLabels: { app: "other" } } } }),
      ],
      says: /not scraped/,
    },
    { name: "no alert rules", change: (s) => s.filter((r) => !r.type.endsWith(":PrometheusRule")), says: /no alert rules/ },
    { name: "no dashboard", change: (s) => s.filter((r) => !r.type.endsWith(":ConfigMap")), says: /no dashboard/ },
  ] },
  { factory: prometheusRulesMustParse, violations: [
    { name: "broken expression", change: (s) => edit(s, ":PrometheusRule", "spec.groups.0.rules.0.expr", "rate(agent_hive_errors_total[5m] > 0.1"), says: /alert HighErrorRate .*syntax error/ },
    { name: "empty record expression", change: (s) => edit(s, ":PrometheusRule", "spec.groups.1.rules.0.expr", ""), says: /empty expression/ },
  ] },
  { factory: dashboardLogQueriesMustParse, violations: [
    { name: "a Loki query is broken", change: (s) => edit(s, ":ConfigMap", "data", { "svc.json": logsDashboard({ datasource: LOKI_SOURCE, targets: [{ refId: "A", expr: '{namespace="agent-hive-production"' }] }) }), says: /svc\.json, panel "Logs": syntax error/ },
    { name: "a Loki query is empty", change: (s) => edit(s, ":ConfigMap", "data", { "svc.json": logsDashboard({ datasource: LOKI_SOURCE, targets: [{ refId: "A", expr: "" }] }) }), says: /empty query/ },
    { name: "the broken query names Loki only on its target", change: (s) => edit(s, ":ConfigMap", "data", { "svc.json": logsDashboard({ targets: [{ refId: "A", datasource: LOKI_SOURCE, expr: "{app=agent-hive}" }] }) }), says: /syntax error/ },
    { name: "a selector every matcher of which can match empty", change: (s) => edit(s, ":ConfigMap", "data", { "svc.json": logsDashboard({ datasource: LOKI_SOURCE, targets: [{ refId: "A", expr: '{revision=~"$revision"}' }] }) }), says: /panel "Logs": a stream selector has no matcher that excludes the empty value.*Loki refuses to run it/ },
    { name: "a broken query on the Loki uid with no datasource type", change: (s) => edit(s, ":ConfigMap", "data", { "svc.json": logsDashboard({ datasource: { uid: "loki" }, targets: [{ refId: "A", expr: '{namespace="agent-hive-production"' }] }) }), says: /panel "Logs": syntax error/ },
    { name: "a Loki query on another datasource uid", change: (s) => edit(s, ":ConfigMap", "data", { "svc.json": logsDashboard({ datasource: { type: "loki", uid: "loki-old" }, targets: [{ refId: "A", expr: '{namespace="agent-hive-production"}' }] }) }), says: /runs on Loki datasource uid loki-old, not the provisioned loki/ },
    { name: "the broken panel is inside a collapsed row", change: (s) => edit(s, ":ConfigMap", "data", { "svc.json": JSON.stringify({ panels: [{ type: "row", title: "Logs row", panels: [JSON.parse(logsDashboard({ datasource: LOKI_SOURCE, targets: [{ refId: "A", expr: "{} |= " }] })).panels[0]] }] }) }), says: /panel "Logs": syntax error/ },
  ] },
  { factory: alertsMustHaveSeverityAndSummary, violations: [
    { name: "no severity", change: (s) => edit(s, ":PrometheusRule", "spec.groups.0.rules.0.labels", {}), says: /severity is missing/ },
    { name: "unknown severity", change: (s) => edit(s, ":PrometheusRule", "spec.groups.0.rules.0.labels.severity", "page"), says: /severity is page/ },
    { name: "no summary", change: (s) => edit(s, ":PrometheusRule", "spec.groups.0.rules.0.annotations.summary", undefined), says: /no summary/ },
  ] },
  { factory: deployBranchesMustEnforceQualityGates, config: { "deploy-branches-must-enforce-quality-gates": { minApprovals: 2 } }, violations: [
    { name: "a check dropped", change: (s) => edit(s, ":BranchProtection", "requiredStatusChecks.0.contexts", ["Test Suite (3.12)", "Code Quality", "Performance Tests", "Build & Package"]), says: /miss "Security Analysis"/ },
    { name: "not strict", change: (s) => edit(s, ":BranchProtection", "requiredStatusChecks.0.strict", false), says: /not strict/ },
    { name: "one review", change: (s) => edit(s, ":BranchProtection", "requiredPullRequestReviews.0.requiredApprovingReviewCount", 1), says: /1 approving reviews required; at least 2/ },
    { name: "admins bypass", change: (s) => edit(s, ":BranchProtection", "enforceAdmins", false), says: /admins can bypass/ },
    { name: "force push", change: (s) => edit(s, ":BranchProtection", "allowsForcePushes", true), says: /force pushes allowed/ },
  ] },
  { factory: deployBranchesMustEnforceQualityThresholds, violations: [
    { name: "a second, weaker codecov.yml on the same branch", change: (s) => [...s, resource("github:index/repositoryFile:RepositoryFile", "quality-codecov-2", { ...(codecovFile().inputs as Record<string, PlanValue>), content: String(codecovFile().inputs.content).replace("target: 95%", "target: 50%") }, { protect: true })], says: /codecov\.yml is written by 2 github\.RepositoryFile resources/ },
    { name: "coverage target 94", change: (s) => withFile(s, "codecov.yml", (t) => t.replace("target: 95%", "target: 94%")), says: /branch main: codecov\.yml coverage\.status\.project\.default\.target is 94% .*below the guide's 95%: set github\.quality\.coverageTarget to 95 or more/ },
    { name: "a threshold under the target", change: (s) => withFile(s, "codecov.yml", (t) => t.replace("threshold: 0%", "threshold: 2%")), says: /target is 95% \(threshold "2%"\), below the guide's 95%/ },
    { name: "an automatic coverage target", change: (s) => withFile(s, "codecov.yml", (t) => t.replace("target: 95%", "target: auto")), says: /target is "auto", not a fixed percentage/ },
    { name: "an informational project status", change: (s) => withFile(s, "codecov.yml", (t) => `${t}        informational: true\n`), says: /informational, so it never fails a pull request/ },
    // Codecov reads codecov.yml from the commit it judges unless strict_yaml_branch names the branch to read it from.
    { name: "no strict_yaml_branch", change: (s) => withFile(s, "codecov.yml", (t) => t.replace("  strict_yaml_branch: main\n", "")), says: /branch main: codecov\.yml codecov\.strict_yaml_branch is null, not main: Codecov would read codecov\.yml from the commit it judges, so a pull request could lower its own target; let the governance component write the file/ },
    { name: "strict_yaml_branch on develop", change: (s) => withFile(s, "codecov.yml", (t) => t.replace("strict_yaml_branch: main", "strict_yaml_branch: develop")), says: /codecov\.strict_yaml_branch is "develop", not main/ },
    { name: "require_ci_to_pass off", change: (s) => withFile(s, "codecov.yml", (t) => t.replace("require_ci_to_pass: true", "require_ci_to_pass: false")), says: /codecov\.require_ci_to_pass is false, not true: Codecov would post its status while CI fails/ },
    // Only the keys the platform writes: each of these leaves target and threshold alone and makes the status toothless.
    { name: "a disabled project status", change: (s) => withFile(s, "codecov.yml", (t) => `${t}        enabled: no\n`), says: /coverage\.status\.project\.default\.enabled is "no", a key the platform does not write \(`enabled: no` switches the status off\): remove it, and let the governance component write the file/ },
    { name: "success when CI fails", change: (s) => withFile(s, "codecov.yml", (t) => `${t}        if_ci_failed: success\n`), says: /project\.default\.if_ci_failed is "success", a key the platform does not write \(it sets the status posted when CI fails; success passes it\)/ },
    { name: "success when the base has no report", change: (s) => withFile(s, "codecov.yml", (t) => `${t}        if_not_found: success\n`), says: /project\.default\.if_not_found is "success", a key the platform does not write/ },
    { name: "a status on pull requests only", change: (s) => withFile(s, "codecov.yml", (t) => `${t}        only_pulls: true\n`), says: /project\.default\.only_pulls is true, a key the platform does not write/ },
    { name: "a status scoped to other branches", change: (s) => withFile(s, "codecov.yml", (t) => `${t}        branches:\n          - release/*\n`), says: /project\.default\.branches is \["release\/\*"\], a key the platform does not write \(it limits the status to the branches it names\)/ },
    { name: "a status scoped to some paths", change: (s) => withFile(s, "codecov.yml", (t) => `${t}        paths:\n          - src/well_tested\n`), says: /project\.default\.paths is \["src\/well_tested"\], a key the platform does not write/ },
    { name: "a status scoped to some flags", change: (s) => withFile(s, "codecov.yml", (t) => `${t}        flags:\n          - unit\n`), says: /project\.default\.flags is \["unit"\], a key the platform does not write/ },
    { name: "every file ignored", change: (s) => withFile(s, "codecov.yml", (t) => `${t}ignore:\n  - "**"\n`), says: /branch main: codecov\.yml ignore is \["\*\*"\], a key the platform does not write \(ignored files are left out of the coverage measured\)/ },
    { name: "coverage rounded up", change: (s) => withFile(s, "codecov.yml", (t) => t.replace("coverage:\n", "coverage:\n  round: up\n")), says: /codecov\.yml coverage\.round is "up", a key the platform does not write \(it changes how coverage is rounded/ },
    { name: "a second, lenient project status", change: (s) => withFile(s, "codecov.yml", (t) => `${t}      lenient:\n        target: 50%\n`), says: /coverage\.status\.project\.lenient is \{"target":"50%"\}, a key the platform does not write/ },
    { name: "an unknown key in the gates file", change: (s) => withFile(s, ".github/quality-gates.yml", (t) => t.replace("snyk:\n", "snyk:\n  continueOnError: true\n")), says: /\.github\/quality-gates\.yml snyk\.continueOnError is true, a key the platform does not write \(the workflows read only the keys it writes\)/ },
    { name: "benchmarks compared on another statistic", change: (s) => withFile(s, ".github/quality-gates.yml", (t) => t.replace("compareFail: min:5%", "compareFail: mean:5%")), says: /benchmark\.compareFail is "mean:5%", not min:<percent>, the statistic the guide compares/ },
    { name: "the gates file naming another statistic", change: (s) => withFile(s, ".github/quality-gates.yml", (t) => t.replace("statistic: min", "statistic: max")), says: /benchmark\.statistic is "max", not the guide's min/ },
    { name: "codecov.yml not managed", change: (s) => s.filter((r) => r.inputs.file !== "codecov.yml"), says: /branch main: codecov\.yml is not managed in this stack/ },
    { name: "codecov.yml on another branch", change: (s) => edit(s, ":RepositoryFile", "branch", "develop"), says: /branch main: codecov\.yml is not managed/ },
    { name: "the gates file not managed", change: (s) => s.filter((r) => r.inputs.file !== ".github/quality-gates.yml"), says: /branch main: \.github\/quality-gates\.yml is not managed/ },
    { name: "Snyk at critical", change: (s) => withFile(s, ".github/quality-gates.yml", (t) => t.replace(/high/g, "critical")), says: /snyk\.severityThreshold is "critical", weaker than the guide's high: set github\.quality\.snykSeverityThreshold/ },
    { name: "Snyk args disagreeing with the threshold", change: (s) => withFile(s, ".github/quality-gates.yml", (t) => t.replace("=high", "=critical")), says: /snyk\.args is "--severity-threshold=critical", not --severity-threshold=high/ },
    { name: "a 6 % regression", change: (s) => withFile(s, ".github/quality-gates.yml", (t) => t.replace(/5/g, "6")), says: /benchmark\.maxRegressionPercent is 6, more than the guide's 5% regression: set github\.quality\.benchmarkMaxRegressionPercent to 5 or less[\s\S]*benchmark\.compareFail is "min:6%"/ },
    { name: "a file that is not YAML", change: (s) => withFile(s, "codecov.yml", () => "coverage: [\n"), says: /codecov\.yml: its content is not YAML/ },
    { name: "codecov/project not required", change: (s) => edit(s, ":BranchProtection", "requiredStatusChecks.0.contexts", [...PIPELINE_QUALITY_GATES]), says: /branch main: required checks miss "codecov\/project", which enforces github\.quality\.coverageTarget/ },
    { name: "Performance Tests not required", change: (s) => edit(s, ":BranchProtection", "requiredStatusChecks.0.contexts", ["Security Analysis", "codecov/project"]), says: /miss "Performance Tests", which enforces github\.quality\.benchmarkMaxRegressionPercent/ },
  ] },
  { factory: deployBranchesMustBeProtected, config: { "deploy-branches-must-be-protected": { branches: ["main"] } }, violations: [
    { name: "protection removed", change: (s) => s.filter((r) => !r.type.endsWith(":BranchProtection")), says: /branch main has no branch protection/ },
  ] },
  { factory: productionEnvironmentMustRequireReview, violations: [
    { name: "no reviewers", change: (s) => edit(s, ":RepositoryEnvironment", "reviewers", []), says: /no required reviewers/ },
    { name: "self review", change: (s) => edit(s, ":RepositoryEnvironment", "preventSelfReview", false), says: /approve it/ },
    { name: "no custom branch policies", change: (s) => edit(s, ":RepositoryEnvironment", "deploymentBranchPolicy", { protectedBranches: true, customBranchPolicies: false }), says: /no custom deployment branch policy/ },
    { name: "no branch policy resource", change: (s) => s.filter((r) => !r.type.endsWith(":RepositoryEnvironmentDeploymentPolicy")), says: /no deployment branch policy resource/ },
  ] },
  { factory: secretsMustBeSecretOutputs, violations: [
    { name: "not a secret output", change: (s) => s.map((r) => (r.type.endsWith(":ActionsEnvironmentSecret") ? { ...r, options: { ...r.options, additionalSecretOutputs: [] } } : r)), says: /plaintextValue not declared as secret outputs/ },
  ] },
  { factory: productionNamespacesMustBeProtected, violations: [
    { name: "protection removed", change: (s) => s.map((r) => (r.type.endsWith(":Namespace") ? { ...r, options: { ...r.options, protect: false } } : r)), says: /Namespace agent-hive-production \(production\) is not protected/ },
  ] },
  { factory: reviewStacksMustStayInTheirNamespace, violations: [
    // The compliant stack is production's: the policy leaves it alone. As review-7's, it is everything a review stack must not be.
    { name: "a review stack in production's namespace, protected", change: (s) => s.map((r) => ({ ...r, urn: r.urn.replace("urn:pulumi:production::", "urn:pulumi:review-7::") })), says: /^(?=[\s\S]*review stack review-7: creates Namespace agent-hive-production, not its own agent-hive-review-7)(?=[\s\S]*Namespace agent-hive-production is protected)(?=[\s\S]*ResourceQuota agent-hive-quota names agent-hive-production \(metadata\.namespace\))/ },
  ] },
  { factory: stackIdentityMustMatch, violations: [
    { name: "production stack relabelled", change: (s) => edit(s, ":Namespace", "metadata.labels.environment", "prod"), says: /stack production is a production stack, but its namespace agent-hive-production \(environment "prod"\)/ },
    { name: "production GitHub environment renamed", change: (s) => edit(s, ":RepositoryEnvironment", "environment", "prod"), says: /GitHub environment "prod" is not a production environment/ },
  ] },
  { factory: podsMustNotMountHostPaths, violations: [
    { name: "hostPath volume", change: (s) => edit(s, ROLLOUT, "spec.template.spec.volumes", [{ name: "host", hostPath: { path: "/var/run" } }]), says: /mounts the node's \/var\/run/ },
  ] },
  { factory: secretsMustNotBeLiteralEnv, violations: [
    { name: "API key as a literal", change: (s) => edit(s, ROLLOUT, `${C}.env`, [{ name: "AGENT_HIVE_API_KEY", value: "literal" }]), says: /sets AGENT_HIVE_API_KEY as a literal value/ },
  ] },
  { factory: environmentNamespacesMustBeHardened, violations: [
    { name: "Pod Security label removed", change: (s) => withoutLabel(s, "pod-security.kubernetes.io/enforce"), says: /does not enforce Pod Security restricted/ },
    { name: "default-deny removed", change: (s) => s.filter((r) => !r.type.endsWith(":NetworkPolicy")), says: /no default-deny NetworkPolicy/ },
    { name: "quota removed", change: (s) => s.filter((r) => !r.type.endsWith(":ResourceQuota")), says: /no ResourceQuota/ },
  ] },
  { factory: workloadsMustBeRollouts, violations: [
    { name: "a Deployment beside the Rollout", change: (s) => [...s, { ...resource("kubernetes:apps/v1:Deployment", "sneaky", { metadata: { name: "sneaky", namespace: "agent-hive-production" }, spec: { template: {} } }) }], says: /Deployment sneaky in agent-hive-production is not a Rollout/ },
  ] },
  { factory: analysisTemplatesMustExist, violations: [
    { name: "dangling template name", change: (s) => edit(s, ROLLOUT, "spec.strategy.canary.analysis.templates", [{ templateName: "nowhere" }]), says: /names analysis template "nowhere", which is not in the stack/ },
  ] },
  { factory: governanceResourcesMustBeProtected, violations: [
    { name: "branch protection unprotected", change: (s) => s.map((r) => (r.type.endsWith(":BranchProtection") ? { ...r, options: { ...r.options, protect: false } } : r)), says: /branch protection main is not protected/ },
    { name: "environment unprotected", change: (s) => s.map((r) => (r.type.endsWith(":RepositoryEnvironment") ? { ...r, options: { ...r.options, protect: false } } : r)), says: /environment production is not protected/ },
    { name: "a threshold file unprotected", change: (s) => s.map((r) => (r.inputs.file === "codecov.yml" ? { ...r, options: { ...r.options, protect: false } } : r)), says: /codecov\.yml on main is not protected/ },
  ] },
];

describe.each(cases.map((c) => ({ ...c, policy: c.factory("mandatory").policy.name })))("$policy", ({ factory, config, violations }) => {
  if (config === undefined) {
    it("passes the compliant stack", async () => {
      expect(await violationsOf(factory, compliantStack(), config)).toEqual([]);
    });
  }
  it.each(violations)("fails when $name", async ({ change, says }) => {
    const messages = await violationsOf(factory, change(compliantStack()), config);
    expect(messages.join("\n")).toMatch(says);
  });
});

describe("the pack", () => {
  const gates = POLICY_FACTORIES.map((f) => f("advisory"));

  it("has a test case for every policy", () => {
    const tested = new Set(cases.map((c) => c.factory));
    expect(POLICY_FACTORIES.filter((f) => !tested.has(f)).map((f) => f("advisory").policy.name)).toEqual([]);
  });

  it("names every policy in kebab-case, uniquely, with a description, a fix and the level passed in", () => {
    const names = gates.map((g) => g.policy.name);
    expect(new Set(names).size).toBe(names.length);
    for (const g of gates) {
      expect(g.policy.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(g.policy.description.length).toBeGreaterThan(40);
      expect(g.remediation.length).toBeGreaterThan(10);
      expect(g.policy.enforcementLevel).toBe("advisory");
    }
  });
});
