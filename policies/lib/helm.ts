import { Props, asRecord } from "./props";

/*
 * Helm releases create objects the pack never sees as resources: their
 * values are where a release can ask for what the rules forbid (a
 * LoadBalancer, host networking, a privileged container). The walk reports
 * where in the values such a setting sits, so the policy names it.
 */

export const HELM_RELEASE_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"] as const;

export interface Finding {
  /** Dotted path in the values, such as `controller.service.type`. */
  readonly path: string;
  readonly value: unknown;
}

/** The values of a Helm release resource, or undefined for anything else. */
export function helmValuesOf(type: string, props: Props): Props | undefined {
  return (HELM_RELEASE_TYPES as readonly string[]).includes(type) ? asRecord(props.values) : undefined;
}

/** Every key/value pair in the values for which `match(key, value, parentKey)` holds. */
export function findInValues(values: unknown, match: (key: string, value: unknown, parent: string) => boolean, path: string[] = []): Finding[] {
  if (values === null || typeof values !== "object") return [];
  const entries = Array.isArray(values) ? values.map((v, i) => [String(i), v] as const) : Object.entries(values as Props);
  return entries.flatMap(([key, value]) => {
    const here = [...path, key];
    const own = match(key, value, path[path.length - 1] ?? "") ? [{ path: here.join("."), value }] : [];
    return [...own, ...findInValues(value, match, here)];
  });
}

export const releaseName = (props: Props): string => String(props.name ?? "");
