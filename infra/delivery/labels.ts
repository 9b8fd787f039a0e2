import { APP } from "../catalogue/names";
import type { DeliverySpec } from "./spec";
import { deliveryNames } from "./names";

/**
 * What selects the service's pods. Only these two labels, because a Rollout's
 * selector is immutable and pod template labels roll every pod when they
 * change: a new config label must not do either.
 */
export function selectorLabels(spec: Pick<DeliverySpec, "service">): Record<string, string> {
  return { app: APP, "app.kubernetes.io/name": deliveryNames(spec.service).rollout };
}

/** Labels on the delivery objects themselves; config cannot override the selector's. */
export function objectLabels(spec: Pick<DeliverySpec, "service" | "labels" | "environment">): Record<string, string> {
  return {
    ...spec.labels,
    "app.kubernetes.io/part-of": APP,
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/component": spec.service.name,
    environment: spec.environment,
    ...selectorLabels(spec),
  };
}
