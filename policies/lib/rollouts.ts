import type { PolicyResource } from "@pulumi/policy";
import { Props, asArray, asRecord, asString, at } from "./props";

export const ROLLOUT_TYPE = "kubernetes:argoproj.io/v1alpha1:Rollout";
export const PDB_TYPE = "kubernetes:policy/v1:PodDisruptionBudget";

export const nameOf = (props: Props): string => String(at(props, "metadata", "name") ?? "");
export const namespaceOf = (props: Props): string => String(at(props, "metadata", "namespace") ?? "");

/** Whether a label selector (matchLabels only, as the platform writes them) selects these labels. */
export function selects(selector: unknown, labels: unknown): boolean {
  const match = asRecord(at(selector, "matchLabels"));
  const have = asRecord(labels);
  const keys = Object.keys(match);
  return keys.length > 0 && keys.every((k) => have[k] === match[k]);
}

/** The labels of a Rollout's pods. */
export const podLabelsOf = (rollout: Props): Props => asRecord(at(rollout, "spec", "template", "metadata", "labels"));

export function resourcesOfType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

export const environmentOf = (props: Props): string | undefined => asString(at(props, "metadata", "labels", "environment"));

export { asArray };
