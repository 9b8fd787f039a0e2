import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IPolicyRule } from "kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { commonLabels } from "../environment/builders";

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

/** What the deployer slice needs to know; a projection of the stack config. */
export interface DeployerSpec {
  readonly environment: string;
  /** The environment's namespace: the only place the deployer may act. */
  readonly namespace: string;
}

function metadata(spec: DeployerSpec, name: string) {
  return { name, namespace: spec.namespace, labels: { ...commonLabels(spec), "app.kubernetes.io/component": "deployer" } };
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
 * Exactly what a deploy does in the namespace, and nothing cluster-wide:
 * - change the image of, promote, abort or retry a Rollout (the Argo Rollouts
 *   kubectl plugin patches the spec, and since Rollouts 1.x the `status`
 *   subresource for promote/abort/retry);
 * - watch it progress (`rollout status`, analysis runs, the ReplicaSets it
 *   creates) and look at what it produced (`kubectl get pods`, `kubectl logs`,
 *   services, events).
 * No create or delete (Pulumi owns the objects), no Secrets, no exec, no
 * ConfigMaps: a leaked deploy token can roll an image, not read credentials or
 * run code in a pod.
 */
export const DEPLOYER_RULES: readonly IPolicyRule[] = [
  { apiGroups: ["argoproj.io"], resources: ["rollouts"], verbs: [...READ, "patch", "update"] },
  { apiGroups: ["argoproj.io"], resources: ["rollouts/status"], verbs: ["get", "patch", "update"] },
  // `kubectl argo rollouts get rollout` lists a rollout's analysis runs and experiments; read-only.
  { apiGroups: ["argoproj.io"], resources: ["analysisruns", "experiments"], verbs: READ },
  { apiGroups: ["apps"], resources: ["replicasets"], verbs: READ },
  { apiGroups: [""], resources: ["pods", "services", "events"], verbs: READ },
  // Logs are read with `get` (also `kubectl logs -f`); list/watch on a log means nothing.
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
];

export function buildRole(spec: DeployerSpec): IRole {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: metadata(spec, DEPLOYER.role),
    // Copies, so a caller mutating the object cannot change the catalogue.
    rules: DEPLOYER_RULES.map((r) => ({ ...r, apiGroups: [...(r.apiGroups ?? [])], resources: [...(r.resources ?? [])], verbs: [...r.verbs] })),
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
