import { platformLabels, podSelectorLabels } from "../../catalogue/labels";
import type { DeliverySpec } from "../spec";

/** What selects the service's pods: the catalogue's, shared with the PodMonitor. */
export function selectorLabels(spec: Pick<DeliverySpec, "service">): Record<string, string> {
  return podSelectorLabels(spec.service.name);
}

/** Labels on the delivery objects themselves; config cannot override the selector's. */
export function objectLabels(spec: Pick<DeliverySpec, "service" | "labels" | "environment">): Record<string, string> {
  return {
    ...spec.labels,
    ...platformLabels(spec.environment),
    "app.kubernetes.io/component": spec.service.name,
    ...selectorLabels(spec),
  };
}
