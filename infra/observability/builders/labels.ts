import { platformLabels } from "../../catalogue/labels";
import type { ObservabilitySpec } from "../spec";

/** Labels every object of the slice carries. */
export function observabilityLabels(spec: ObservabilitySpec): Record<string, string> {
  return { ...spec.labels, ...platformLabels(spec.environment), "app.kubernetes.io/component": "observability" };
}

/** Labels of the objects the Prometheus operator must pick up: the platform's plus its selector. */
export function operatorSelectedLabels(spec: ObservabilitySpec): Record<string, string> {
  return { ...observabilityLabels(spec), ...spec.ruleSelectorLabels };
}
