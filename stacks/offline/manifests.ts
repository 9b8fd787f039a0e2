import { stringify } from "yaml";
import { PlanResource } from "./recorder";
import { PlanValue } from "./redact";

export interface Manifest {
  readonly file: string;
  readonly object: { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } } & Record<string, PlanValue>;
}

// Apply order: what defines types and scopes first, then what lives in them,
// workloads after their config and policies, custom resources last.
const KIND_ORDER = [
  "CustomResourceDefinition",
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "ResourceQuota",
  "LimitRange",
  "NetworkPolicy",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "Role",
  "RoleBinding",
  "Service",
  "PodDisruptionBudget",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
];
const BUILT_IN_GROUP = /^(v1|[a-z0-9.]*k8s\.io\/[a-z0-9]+|(apps|batch|policy|autoscaling)\/[a-z0-9]+)$/;

function rank(m: Manifest["object"]): number {
  const i = KIND_ORDER.indexOf(m.kind);
  if (i >= 0) return i;
  // Custom resources need their CRDs and usually a workload: after everything built in.
  return BUILT_IN_GROUP.test(m.apiVersion) ? KIND_ORDER.length : KIND_ORDER.length + 1;
}

function isObject(inputs: PlanValue): inputs is Manifest["object"] {
  return (
    typeof inputs === "object" && inputs !== null && !Array.isArray(inputs) &&
    typeof inputs.apiVersion === "string" && typeof inputs.kind === "string" &&
    typeof inputs.metadata === "object" && inputs.metadata !== null
  );
}

/**
 * The Kubernetes objects of a plan, in apply order, named so that a directory
 * listing (and `kubectl apply -f`) follows that order.
 */
export function planManifests(resources: readonly PlanResource[]): Manifest[] {
  const objects = resources
    .filter((r) => r.custom && r.type.startsWith("kubernetes:") && isObject(r.inputs))
    .map((r) => r.inputs as Manifest["object"]);
  objects.sort((a, b) =>
    rank(a) - rank(b) ||
    (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
    a.kind.localeCompare(b.kind) ||
    (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
  );
  const width = String(objects.length).length;
  return objects.map((object, i) => ({
    file: `${String(i + 1).padStart(Math.max(3, width), "0")}-${object.kind.toLowerCase()}-${object.metadata.name ?? "unnamed"}.yaml`,
    object,
  }));
}

export function manifestYaml(m: Manifest): string {
  return stringify(m.object, { sortMapEntries: false, lineWidth: 0 });
}
