import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { Props, asArray, asRecord, at, kindOf } from "./props";

// Where each workload kind keeps its pod spec. Rollouts are Argo's, the rest built in.
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  Rollout: ["spec", "template", "spec"],
};

export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly pod: IPodSpec;
  /** Regular, init and ephemeral containers: all run in the pod and are checked alike. */
  readonly containers: IContainer[];
}

/** Every kind that makes pods, by its Pulumi type's kind. */
export const POD_MAKING_KINDS = Object.keys(POD_SPEC_PATHS);

/** The pod spec of a workload resource, or undefined for anything else. */
export function workloadOf(type: string, props: Props): Workload | undefined {
  const kind = kindOf(type);
  const path = kind ? POD_SPEC_PATHS[kind] : undefined;
  if (!kind || !path) return undefined;
  const pod = asRecord(at(props, ...path)) as unknown as IPodSpec;
  const containers = [...asArray(pod.containers), ...asArray(pod.initContainers), ...asArray(pod.ephemeralContainers)] as IContainer[];
  return { kind, name: String(at(props, "metadata", "name") ?? ""), pod, containers };
}
