import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { DeliverySpec } from "../spec";
import { objectLabels, selectorLabels } from "./labels";
import { deliveryNames } from "./names";

/**
 * At most one pod voluntarily down at a time (node drains, cluster upgrades).
 * `maxUnavailable: 1` rather than a `minAvailable`: it scales with the
 * replicas, counts canary and stable pods together through the Rollout's
 * scale, and never makes a node undrainable, which `minAvailable: 1` on a
 * single replica would.
 */
export function buildPodDisruptionBudget(spec: DeliverySpec): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: deliveryNames(spec.service).podDisruptionBudget, namespace: spec.namespace, labels: objectLabels(spec) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(spec) } },
  };
}
