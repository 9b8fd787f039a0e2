import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { DeliverySpec } from "../spec";
import { objectLabels } from "./labels";
import { deliveryNames } from "./names";

/**
 * The service's pods' identity. It exists with or without a private registry,
 * so the pod template never changes shape with the registry config; with one,
 * it lists the pull secret, and every pod of every version pulls with it. No
 * token is mounted: the service calls no Kubernetes API, and nothing grants
 * this account any.
 */
export function buildServiceAccount(spec: DeliverySpec): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: deliveryNames(spec.service).serviceAccount, namespace: spec.namespace, labels: objectLabels(spec) },
    automountServiceAccountToken: false,
    ...(spec.imagePullSecrets.length === 0 ? {} : { imagePullSecrets: spec.imagePullSecrets.map((name) => ({ name })) }),
  };
}
