import type { EnforcementLevel } from "@pulumi/policy";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { QualityGate } from "../../policies/lib/define";
import { POD_SPEC_PATHS } from "../../policies/lib/workloads";
import { qualityGates } from "../../policies/pack";
import { analysisTemplatesMustExist } from "../../policies/delivery/analysis-templates-must-exist";
import { rolloutsMustHaveDisruptionBudget } from "../../policies/delivery/rollouts-must-have-disruption-budget";
import { rolloutsMustPauseAndAnalyse } from "../../policies/delivery/rollouts-must-pause-and-analyse";
import { workloadsMustBeRollouts } from "../../policies/delivery/workloads-must-be-rollouts";
import { deployBranchesMustEnforceQualityGates } from "../../policies/github/deploy-branches-must-enforce-quality-gates";
import { productionEnvironmentMustRequireReview } from "../../policies/github/production-environment-must-require-review";
import { containersMustDropAllCapabilities } from "../../policies/kubernetes/containers-must-drop-all-capabilities";
import { containersMustHaveHealthProbes } from "../../policies/kubernetes/containers-must-have-health-probes";
import { containersMustHaveReadOnlyRootFilesystem } from "../../policies/kubernetes/containers-must-have-read-only-root-filesystem";
import { containersMustNotEscalatePrivileges } from "../../policies/kubernetes/containers-must-not-escalate-privileges";
import { containersMustSetRequestsAndLimits } from "../../policies/kubernetes/containers-must-set-requests-and-limits";
import { environmentNamespacesMustBeHardened } from "../../policies/kubernetes/environment-namespaces-must-be-hardened";
import { imagesMustBePinned } from "../../policies/kubernetes/images-must-be-pinned";
import { podsMustNotMountHostPaths } from "../../policies/kubernetes/pods-must-not-mount-host-paths";
import { podsMustNotShareHostNamespaces } from "../../policies/kubernetes/pods-must-not-share-host-namespaces";
import { podsMustRunAsNonRoot } from "../../policies/kubernetes/pods-must-run-as-non-root";
import { podsMustUseRuntimeDefaultSeccomp } from "../../policies/kubernetes/pods-must-use-runtime-default-seccomp";
import { secretsMustNotBeLiteralEnv } from "../../policies/kubernetes/secrets-must-not-be-literal-env";
import { servicesMustNotBeExposedExternally } from "../../policies/kubernetes/services-must-not-be-exposed-externally";
import { productionNamespacesMustBeProtected } from "../../policies/options/production-namespaces-must-be-protected";
import { PolicyConfigFile, evaluatePolicies, readPolicyConfig } from "../../stacks/offline/policy";
import { PlanValue } from "../../stacks/offline/redact";
import { ROOT, cfg, loadStackDoc, planDoc } from "../support/stacks";
import { Fixture, compliantStack, container, resource, rollout, violationsOf } from "./fixtures";

/*
 * Evasions: the same violation in another form. The workload rows are
 * generated: every workload rule's violation, in every kind that makes pods
 * and every container list, so a new rule or a new kind gets that coverage by
 * being added to the tables, not by someone remembering it. Names are tried
 * in other cases, as GitHub ignores case. The rest are written by hand.
 */

type Json = { [key: string]: PlanValue };
type Factory = (level: EnforcementLevel) => QualityGate;
const NS = "agent-hive-production";

/** The Pulumi type of each kind that makes pods. */
const KIND_TYPES: Record<string, string> = {
  Pod: "kubernetes:core/v1:Pod",
  Deployment: "kubernetes:apps/v1:Deployment",
  StatefulSet: "kubernetes:apps/v1:StatefulSet",
  DaemonSet: "kubernetes:apps/v1:DaemonSet",
  ReplicaSet: "kubernetes:apps/v1:ReplicaSet",
  Job: "kubernetes:batch/v1:Job",
  CronJob: "kubernetes:batch/v1:CronJob",
  Rollout: "kubernetes:argoproj.io/v1alpha1:Rollout",
};
const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;

/** The compliant Rollout's pod spec, wrapped the way `kind` holds a pod spec. */
function workload(kind: string, pod: Json): Fixture {
  const template = { metadata: { labels: { app: "agent-hive" } }, spec: pod };
  const specs: Record<string, Json> = {
    Pod: pod,
    CronJob: { schedule: "* * * * *", jobTemplate: { spec: { template } } },
  };
  return resource(KIND_TYPES[kind], `evasive-${kind.toLowerCase()}`, {
    apiVersion: "v1",
    kind,
    metadata: { name: `evasive-${kind.toLowerCase()}`, namespace: NS, labels: { environment: "production" } },
    spec: specs[kind] ?? { replicas: 3, selector: { matchLabels: { app: "agent-hive" } }, template },
  });
}

const compliantPod = (): Json => structuredClone((((rollout().inputs.spec as Json).template as Json).spec as Json));

interface WorkloadEvasion {
  readonly policy: Factory;
  readonly name: string;
  /** A change to one container, placed in each container list in turn; or a change to the pod. */
  readonly container?: (c: Json) => void;
  readonly pod?: (p: Json) => void;
  /** Container lists the rule covers (probes are for regular containers only). */
  readonly lists?: readonly (typeof CONTAINER_LISTS)[number][];
  readonly kinds?: readonly string[];
  readonly says: RegExp;
}

const sc = (c: Json) => c.securityContext as Json;
const WORKLOAD_EVASIONS: WorkloadEvasion[] = [
  { policy: podsMustRunAsNonRoot, name: "runs as user 0", container: (c) => (sc(c).runAsUser = 0), says: /may run as root/ },
  { policy: containersMustNotEscalatePrivileges, name: "privileged", container: (c) => (sc(c).privileged = true), says: /is privileged/ },
  { policy: containersMustNotEscalatePrivileges, name: "escalates", container: (c) => (sc(c).allowPrivilegeEscalation = true), says: /allows privilege escalation/ },
  { policy: containersMustDropAllCapabilities, name: "keeps capabilities", container: (c) => (sc(c).capabilities = { drop: [] }), says: /ALL|capabilit/ },
  { policy: containersMustHaveReadOnlyRootFilesystem, name: "writable root", container: (c) => (sc(c).readOnlyRootFilesystem = false), says: /writable root filesystem/ },
  { policy: containersMustSetRequestsAndLimits, name: "no resources", container: (c) => delete c.resources, says: /request|limit/ },
  { policy: imagesMustBePinned, name: "latest image", container: (c) => (c.image = "ghcr.io/leanvibe/agent-hive:latest"), says: /not pinned/ },
  { policy: podsMustNotShareHostNamespaces, name: "host port", container: (c) => (c.ports = [{ containerPort: 8080, hostPort: 8080 }]), says: /hostPort/ },
  { policy: secretsMustNotBeLiteralEnv, name: "literal API key", container: (c) => (c.env = [{ name: "AGENT_HIVE_API_KEY", value: "hunter2" }]), says: /literal value/ },
  { policy: containersMustHaveHealthProbes, name: "no liveness probe", container: (c) => delete c.livenessProbe, lists: ["containers"], kinds: ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout"], says: /no livenessProbe/ },
  { policy: podsMustNotShareHostNamespaces, name: "host network", pod: (p) => (p.hostNetwork = true), says: /hostNetwork/ },
  { policy: podsMustNotShareHostNamespaces, name: "host PID", pod: (p) => (p.hostPID = true), says: /hostPID/ },
  { policy: podsMustNotMountHostPaths, name: "hostPath volume", pod: (p) => (p.volumes = [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }]), says: /mounts the node's/ },
  { policy: podsMustUseRuntimeDefaultSeccomp, name: "unconfined seccomp", pod: (p) => ((p.securityContext as Json).seccompProfile = { type: "Unconfined" }), says: /seccomp|RuntimeDefault/ },
  {
    policy: podsMustRunAsNonRoot,
    name: "pod may run as root, containers silent",
    pod: (p) => {
      (p.securityContext as Json).runAsNonRoot = false;
      for (const c of p.containers as Json[]) delete sc(c).runAsNonRoot;
    },
    says: /may run as root/,
  },
];

/** Every generated row: rule × kind × container list (or the pod itself). */
const generated = WORKLOAD_EVASIONS.flatMap((e) =>
  (e.kinds ?? Object.keys(POD_SPEC_PATHS)).flatMap((kind) =>
    e.pod
      ? [{ ...e, kind, list: "pod", build: () => { const p = compliantPod(); e.pod?.(p); return workload(kind, p); } }]
      : (e.lists ?? CONTAINER_LISTS).map((list) => ({
          ...e,
          kind,
          list,
          build: () => {
            const p = compliantPod();
            const bad = container();
            bad.name = "sidecar";
            e.container?.(bad);
            p[list] = [...((p[list] as Json[] | undefined) ?? []), bad];
            return workload(kind, p);
          },
        })),
  ),
);

describe("workload rules hold in every kind that makes pods and every container list", () => {
  it("covers every kind the pack knows", () => {
    expect(Object.keys(KIND_TYPES).sort()).toEqual(Object.keys(POD_SPEC_PATHS).sort());
  });

  it("covers every rule of the pack that reads pod specs (each policy calling workloadOf), and only those", () => {
    const dir = path.join(ROOT, "policies");
    const readers = fs
      .readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.startsWith(`lib${path.sep}`) && /\bworkloadOf\(/.test(fs.readFileSync(path.join(dir, f), "utf8")))
      .map((f) => path.basename(f, ".ts"));
    const rowed = new Set(WORKLOAD_EVASIONS.map((e) => e.policy("advisory").policy.name));
    expect([...rowed].sort()).toEqual(readers.sort());
  });

  it.each(generated.map((g) => ({ ...g, policyName: g.policy("mandatory").policy.name })))("$policyName: $name in a $kind ($list)", async ({ policy, build, says }) => {
    const found = await violationsOf(policy, [build()]);
    expect(found.some((v) => says.test(v)), found.join("\n")).toBe(true);
  });

  it("and the compliant pod passes every one of those rules in every kind", async () => {
    for (const kind of Object.keys(KIND_TYPES)) {
      for (const policy of new Set(WORKLOAD_EVASIONS.map((e) => e.policy))) {
        expect(await violationsOf(policy, [workload(kind, compliantPod())]), kind).toEqual([]);
      }
    }
  });
});

/** The compliant stack with one fixture changed. */
function changed(change: (s: Fixture[]) => Fixture[]): Fixture[] {
  return change(compliantStack());
}
const at = (s: Fixture[], suffix: string) => s.find((r) => r.type.endsWith(suffix)) as Fixture;
const canary = (s: Fixture[]) => ((at(s, ":Rollout").inputs.spec as Json).strategy as Json).canary as Json;
const inStack = (stack: string) => (r: Fixture): Fixture => ({ ...r, urn: r.urn.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${stack}::`) });

interface Evasion {
  readonly name: string;
  readonly policy: Factory;
  readonly resources: () => Fixture[];
  readonly config?: PolicyConfigFile;
  readonly says: RegExp;
}

const WRITTEN: Evasion[] = [
  { name: "a Deployment instead of a Rollout", policy: workloadsMustBeRollouts, resources: () => [...compliantStack(), workload("Deployment", compliantPod())], says: /Deployment evasive-deployment .* is not a Rollout/ },
  { name: "a bare Pod in the environment", policy: workloadsMustBeRollouts, resources: () => [...compliantStack(), workload("Pod", compliantPod())], says: /Pod evasive-pod .* is not a Rollout/ },
  { name: "a CronJob in the environment", policy: workloadsMustBeRollouts, resources: () => [...compliantStack(), workload("CronJob", compliantPod())], says: /CronJob .* is not a Rollout/ },
  {
    name: "a Rollout that points at a Deployment (workloadRef)",
    policy: workloadsMustBeRollouts,
    resources: () => changed((s) => { const spec = at(s, ":Rollout").inputs.spec as Json; delete spec.template; spec.workloadRef = { apiVersion: "apps/v1", kind: "Deployment", name: "elsewhere" }; return s; }),
    says: /no pod template of its own/,
  },
  { name: "an external IP", policy: servicesMustNotBeExposedExternally, resources: () => changed((s) => { (at(s, ":Service").inputs.spec as Json).externalIPs = ["203.0.113.7"]; return s; }), says: /externalIPs/ },
  {
    name: "Helm values that make a LoadBalancer",
    policy: servicesMustNotBeExposedExternally,
    resources: () => [resource("kubernetes:helm.sh/v3:Release", "ingress", { name: "ingress", values: { controller: { service: { type: "LoadBalancer" } } } })],
    says: /controller\.service\.type = "LoadBalancer"/,
  },
  {
    name: "Helm values that set hostNetwork",
    policy: podsMustNotShareHostNamespaces,
    resources: () => [resource("kubernetes:helm.sh/v3:Release", "exporter", { name: "exporter", values: { prometheus: { hostNetwork: true } } })],
    says: /prometheus\.hostNetwork = true/,
  },
  {
    name: "Helm values that mount a hostPath volume",
    policy: podsMustNotMountHostPaths,
    resources: () => [resource("kubernetes:helm.sh/v3:Release", "agent", { name: "agent", values: { extraVolumes: [{ name: "host", hostPath: { path: "/var/log" } }] } })],
    says: /extraVolumes\.0\.hostPath = .* mounts a path of the node/,
  },
  {
    name: "a log shipper's chart switched to tail the node's /var/log",
    policy: podsMustNotMountHostPaths,
    resources: () => [resource("kubernetes:helm.sh/v3:Release", "alloy", { name: "alloy", values: { alloy: { mounts: { varlog: true, dockercontainers: false } } } })],
    says: /Helm release alloy: values alloy\.mounts\.varlog = true mounts a path of the node/,
  },
  {
    name: "Helm values that make a privileged container",
    policy: containersMustNotEscalatePrivileges,
    resources: () => [resource("kubernetes:helm.sh/v3:Release", "agent", { name: "agent", values: { securityContext: { privileged: true } } })],
    says: /securityContext\.privileged = true/,
  },
  { name: "a canary pause of zero seconds", policy: rolloutsMustPauseAndAnalyse, resources: () => changed((s) => { canary(s).steps = [{ setWeight: 10 }, { pause: { duration: 0 } }]; return s; }), says: /pauses for zero seconds/ },
  { name: 'a canary pause of "0s"', policy: rolloutsMustPauseAndAnalyse, resources: () => changed((s) => { canary(s).steps = [{ setWeight: 10 }, { pause: { duration: "0s" } }]; return s; }), says: /pauses for zero seconds/ },
  { name: "the analysis in dry-run mode", policy: rolloutsMustPauseAndAnalyse, resources: () => changed((s) => { (canary(s).analysis as Json).dryRun = [{ metricName: ".*" }]; return s; }), says: /dry-run mode/ },
  { name: "a dangling analysis template name", policy: analysisTemplatesMustExist, resources: () => changed((s) => s.filter((r) => !r.type.endsWith(":AnalysisTemplate"))), says: /not in the stack/ },
  { name: "a PDB that lets every pod go (100%)", policy: rolloutsMustHaveDisruptionBudget, resources: () => changed((s) => { (at(s, ":PodDisruptionBudget").inputs.spec as Json).maxUnavailable = "100%"; return s; }), says: /lets every pod/ },
  { name: "a PDB with minAvailable 0", policy: rolloutsMustHaveDisruptionBudget, resources: () => changed((s) => { const spec = at(s, ":PodDisruptionBudget").inputs.spec as Json; delete spec.maxUnavailable; spec.minAvailable = 0; return s; }), says: /lets every pod/ },
  { name: "a PDB with maxUnavailable at the replica count", policy: rolloutsMustHaveDisruptionBudget, resources: () => changed((s) => { (at(s, ":PodDisruptionBudget").inputs.spec as Json).maxUnavailable = 10; return s; }), says: /lets every pod/ },
  { name: "a branch protection with force-push bypassers", policy: deployBranchesMustEnforceQualityGates, resources: () => changed((s) => { at(s, ":BranchProtection").inputs.forcePushBypassers = ["/release-bot"]; return s; }), says: /forcePushBypassers/ },
  { name: "a branch protection with pull-request bypassers", policy: deployBranchesMustEnforceQualityGates, resources: () => changed((s) => { ((at(s, ":BranchProtection").inputs.requiredPullRequestReviews as Json[])[0]).pullRequestBypassers = ["leanvibe/admins"]; return s; }), says: /pullRequestBypassers/ },
  { name: "a branch protection admins bypass", policy: deployBranchesMustEnforceQualityGates, resources: () => changed((s) => { at(s, ":BranchProtection").inputs.enforceAdmins = false; return s; }), says: /admins can bypass/ },
  { name: "a wildcard branch protection", policy: deployBranchesMustEnforceQualityGates, resources: () => changed((s) => { at(s, ":BranchProtection").inputs.pattern = "*"; return s; }), says: /wildcard/ },
  { name: "a wildcard deployment branch policy", policy: productionEnvironmentMustRequireReview, resources: () => changed((s) => { at(s, ":RepositoryEnvironmentDeploymentPolicy").inputs.branchPattern = "*"; return s; }), says: /deploys from the pattern "\*"/ },
  { name: "the Pod Security label removed", policy: environmentNamespacesMustBeHardened, resources: () => changed((s) => { delete ((at(s, ":Namespace").inputs.metadata as Json).labels as Json)["pod-security.kubernetes.io/enforce"]; return s; }), says: /does not enforce Pod Security restricted/ },
  { name: "Pod Security relaxed to baseline", policy: environmentNamespacesMustBeHardened, resources: () => changed((s) => { ((at(s, ":Namespace").inputs.metadata as Json).labels as Json)["pod-security.kubernetes.io/enforce"] = "baseline"; return s; }), says: /does not enforce Pod Security restricted/ },
  { name: "the default-deny policy opened up", policy: environmentNamespacesMustBeHardened, resources: () => changed((s) => { (at(s, ":NetworkPolicy").inputs.spec as Json).ingress = [{}]; return s; }), says: /no default-deny/ },
  { name: "the environment in kube-system", policy: environmentNamespacesMustBeHardened, resources: () => changed((s) => { (at(s, ":Namespace").inputs.metadata as Json).name = "kube-system"; return s; }), says: /namespace kube-system is a system or add-on namespace/ },
  { name: "the environment in default", policy: environmentNamespacesMustBeHardened, resources: () => changed((s) => { (at(s, ":Namespace").inputs.metadata as Json).name = "default"; return s; }), says: /namespace default is a system/ },
  { name: "the environment in monitoring", policy: environmentNamespacesMustBeHardened, resources: () => changed((s) => { (at(s, ":Namespace").inputs.metadata as Json).name = "monitoring"; return s; }), says: /namespace monitoring is a system or add-on/ },
  ...["prod", "Prod", "live"].map((label) => ({
    name: `the production stack's namespace relabelled "${label}", unprotected`,
    policy: productionNamespacesMustBeProtected,
    resources: () => changed((s) => s.map((r): Fixture => (r.type.endsWith(":Namespace") ? { ...r, inputs: { ...(r.inputs as Json), metadata: { name: NS, labels: { environment: label } } }, options: { ...r.options, protect: false } } : r))),
    says: /is not protected/,
  })),
  ...["Production", "PRODUCTION", "production "].map((name) => ({
    name: `a GitHub environment "${name}" with no reviewers, in another stack`,
    policy: productionEnvironmentMustRequireReview,
    resources: () => changed((s) => s.map(inStack("qa")).map((r): Fixture => (r.type.endsWith(":RepositoryEnvironment") ? { ...r, inputs: { ...(r.inputs as Json), environment: name, reviewers: [] } } : r))),
    says: /no required reviewers/,
  })),
];

describe("written evasions", () => {
  it.each(WRITTEN.map((e) => ({ ...e, policyName: e.policy("mandatory").policy.name })))("$policyName catches $name", async ({ policy, resources, config, says }) => {
    const found = await violationsOf(policy, resources(), config);
    expect(found.some((v) => says.test(v)), found.join("\n") || "no violation").toBe(true);
  });
});

describe("production's gates judge the stack by its name, not by what its file says it is", () => {
  const policyConfig = readPolicyConfig(ROOT, "production");
  it("reads production's own policy config", () => expect(Object.keys(policyConfig)).toContain("deploy-branches-must-be-protected"));

  it("environment: prod, namespace.protect: false and one replica in Pulumi.production.yaml fail three gates", async () => {
    const doc = loadStackDoc("production");
    doc.config["agent-hive-platform:environment"] = "prod";
    cfg(doc, "namespace").protect = false;
    (doc.config["agent-hive-platform:services"] as Json[])[0].replicas = 1;
    cfg(doc, "namespace").quota = { ...(cfg(doc, "namespace").quota as Json) };
    const plan = await planDoc("production", doc);
    const report = await evaluatePolicies("production", plan.resources, qualityGates(), policyConfig);
    const failed = new Set(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy));
    for (const name of ["production-namespaces-must-be-protected", "production-rollouts-must-have-min-replicas", "stack-identity-must-match"]) expect(failed, name).toContain(name);
  });

  it("the committed production stack passes every gate", async () => {
    const plan = await planDoc("production", loadStackDoc("production"));
    const report = await evaluatePolicies("production", plan.resources, qualityGates(), policyConfig);
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
  });
});
