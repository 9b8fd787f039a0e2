import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IPolicyRule } from "kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { platformLabels } from "../../catalogue/labels";
import type { DeployerSpec, PushgatewayAccess } from "../spec";

/**
 * Names the deploy job and the cluster agree on. The token Secret's name is
 * part of the contract too: renaming it replaces it, which mints a new token
 * and invalidates the one stored in GitHub until the next `pulumi up`.
 */
export const DEPLOYER = {
  serviceAccount: "agent-hive-deployer",
  role: "agent-hive-deployer",
  roleBinding: "agent-hive-deployer",
  tokenSecret: "agent-hive-deployer-token",
} as const;

function metadata(spec: DeployerSpec, name: string) {
  return { name, namespace: spec.namespace, labels: { ...platformLabels(spec.environment), "app.kubernetes.io/component": "deployer" } };
}

/**
 * The identity CI deploys as. Its token is never mounted into a pod: no
 * workload runs as the deployer, so a compromised pod cannot borrow its rights.
 */
export function buildServiceAccount(spec: DeployerSpec): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: metadata(spec, DEPLOYER.serviceAccount),
    automountServiceAccountToken: false,
  };
}

const READ = ["get", "list", "watch"];

/**
 * What the Argo Rollouts kubectl plugin sends (argoproj/argo-rollouts,
 * pkg/kubectl-argo-rollouts/cmd, master as of 2026-08):
 * - `promote`: GET the rollout, then a merge PATCH of the `status` subresource
 *   (pauseConditions, currentStepIndex, promoteFull) and, only when
 *   `spec.paused` is set, a merge PATCH of the rollout itself (`spec.paused:
 *   false`). `abort` and `retry`: a merge PATCH of `status` (the rollout itself
 *   only as the fallback for controllers older than 0.10, without the subresource).
 * - `status` and `get rollout`: namespaced informers, i.e. list and watch of
 *   rollouts, replicasets, pods, analysisruns and experiments.
 * - `set image`: GET the rollout, edit the container image, then UPDATE (a PUT
 *   of the whole object, retried on conflict), never a PATCH.
 * So `update` on rollouts is exactly the right to set an image through the
 * plugin, and nothing the plugin does needs `update` on `rollouts/status`.
 */
const ROLLOUT_CONTROL: readonly IPolicyRule[] = [
  { apiGroups: ["argoproj.io"], resources: ["rollouts"], verbs: [...READ, "patch"] },
  { apiGroups: ["argoproj.io"], resources: ["rollouts/status"], verbs: ["patch"] },
];

/** What `kubectl argo rollouts set image` adds: the Get-then-Update of the rollout. */
const SET_IMAGE: IPolicyRule = { apiGroups: ["argoproj.io"], resources: ["rollouts"], verbs: ["update"] };

const OBSERVE: readonly IPolicyRule[] = [
  // `kubectl argo rollouts get rollout` lists a rollout's analysis runs and experiments; read-only.
  { apiGroups: ["argoproj.io"], resources: ["analysisruns", "experiments"], verbs: READ },
  { apiGroups: ["apps"], resources: ["replicasets"], verbs: READ },
  { apiGroups: [""], resources: ["pods", "services", "events"], verbs: READ },
  // Logs are read with `get` (also `kubectl logs -f`); list/watch on a log means nothing.
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
];

/**
 * Exactly what a deploy does in the namespace, and nothing cluster-wide:
 * - promote, abort or retry a Rollout and watch it progress (`rollout status`,
 *   analysis runs, the ReplicaSets it creates), look at what it produced
 *   (`kubectl get pods`, `kubectl logs`, services, events);
 * - with `imageOwner: pipeline` only, set its image (`update`). With `stack`
 *   the image is the stack's: a pipeline that tries `set image` is refused
 *   instead of racing the next `pulumi up`. (RBAC cannot scope a verb to a
 *   field: `patch` on the rollout, which promote needs for `spec.paused`, can
 *   still write any spec field with a hand-made `kubectl patch`. This closes
 *   the tool's path, not every path a stolen token has.)
 * No create or delete (Pulumi owns the objects), no Secrets, no exec, no
 * ConfigMaps: a leaked deploy token can roll a release, not read credentials
 * or run code in a pod.
 */
export function deployerRules(spec: Pick<DeployerSpec, "imageOwner">): IPolicyRule[] {
  const rules = [...ROLLOUT_CONTROL, ...(spec.imageOwner === "pipeline" ? [SET_IMAGE] : []), ...OBSERVE];
  // Copies, so a caller mutating a built Role cannot change the catalogue.
  return rules.map(copyRule);
}

function copyRule(r: IPolicyRule): IPolicyRule {
  return {
    ...r,
    apiGroups: [...(r.apiGroups ?? [])],
    resources: [...(r.resources ?? [])],
    ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
    verbs: [...r.verbs],
  };
}

export function buildRole(spec: DeployerSpec): IRole {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: metadata(spec, DEPLOYER.role),
    rules: deployerRules(spec),
  };
}

/** A RoleBinding, not a ClusterRoleBinding: the grant ends at the namespace. */
export function buildRoleBinding(spec: DeployerSpec): IRoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: metadata(spec, DEPLOYER.roleBinding),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: DEPLOYER.role },
    subjects: [{ kind: "ServiceAccount", name: DEPLOYER.serviceAccount, namespace: spec.namespace }],
  };
}

/**
 * The one grant outside the environment's namespace: what `kubectl -n <ns>
 * port-forward svc/<serviceName> 9091` needs, so a pipeline can push its DORA
 * metrics to the in-cluster Pushgateway. kubectl GETs the Service (to read its
 * selector and target port), lists the pods to pick one behind it, GETs that
 * pod (is it running?), then opens the tunnel on `pods/portforward`: SPDY is a
 * `create`; the WebSocket transport kubectl 1.31+ tries first is an HTTP GET,
 * which API servers before 1.35 authorize as `get` (1.35+ also ask for
 * `create`). Both verbs, so the tunnel opens on either transport instead of
 * failing over, and keeps working once SPDY is gone.
 *
 * Scope, and its limit: the Service is named, but pod names are generated, so
 * `pods` and `pods/portforward` cannot be pinned by `resourceNames`. Whoever
 * holds the deploy token can therefore port-forward to ANY pod in that
 * namespace, and a port-forward goes through the kubelet, past
 * NetworkPolicies. In kube-prometheus-stack's namespace that includes
 * Prometheus and Alertmanager, whose HTTP APIs have no authentication (an
 * attacker could add silences). Run the Pushgateway in a namespace of its own
 * to make this grant reach the Pushgateway only. Nothing here reads Secrets,
 * ConfigMaps or logs, execs, or changes any object there. If no pod is running
 * when kubectl looks, it would wait with a watch, which is not granted: the
 * command fails at once instead.
 */
export function pushgatewayRules(access: PushgatewayAccess): IPolicyRule[] {
  return [
    { apiGroups: [""], resources: ["services"], resourceNames: [access.serviceName], verbs: ["get"] },
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
    { apiGroups: [""], resources: ["pods/portforward"], verbs: ["get", "create"] },
  ];
}

/**
 * The Role and RoleBinding name in the Pushgateway's namespace. Several
 * environments can share one cluster's Pushgateway, so the name carries the
 * deployer's namespace, which Kubernetes keeps unique within the cluster.
 */
export function pushgatewayRoleName(spec: Pick<DeployerSpec, "namespace">): string {
  return `${DEPLOYER.serviceAccount}-pushgateway-${spec.namespace}`;
}

function pushgatewayMetadata(spec: DeployerSpec, access: PushgatewayAccess) {
  return { ...metadata(spec, pushgatewayRoleName(spec)), namespace: access.namespace };
}

/** The port-forward Role in the Pushgateway's namespace; undefined without `spec.pushgateway`. */
export function buildPushgatewayRole(spec: DeployerSpec): IRole | undefined {
  const access = spec.pushgateway;
  if (!access) return undefined;
  return { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: pushgatewayMetadata(spec, access), rules: pushgatewayRules(access) };
}

/** Binds that Role to the deployer ServiceAccount of the environment's namespace, and to nothing else. */
export function buildPushgatewayRoleBinding(spec: DeployerSpec): IRoleBinding | undefined {
  const access = spec.pushgateway;
  if (!access) return undefined;
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: pushgatewayMetadata(spec, access),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: pushgatewayRoleName(spec) },
    subjects: [{ kind: "ServiceAccount", name: DEPLOYER.serviceAccount, namespace: spec.namespace }],
  };
}

/**
 * A long-lived token for the service account: CI keeps a static kubeconfig in
 * a GitHub secret, so a TokenRequest token (which expires within hours) would
 * not do. Kubernetes' token controller fills `data.token` and `data.ca.crt`
 * after creation; the Kubernetes provider waits for that before it reports the
 * Secret created. Rotating the token = replacing this Secret.
 */
export function buildTokenSecret(spec: DeployerSpec): ISecret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    metadata: { ...metadata(spec, DEPLOYER.tokenSecret), annotations: { "kubernetes.io/service-account.name": DEPLOYER.serviceAccount } },
  };
}
