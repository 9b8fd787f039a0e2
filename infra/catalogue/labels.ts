import { APP } from "./names";

/*
 * The platform's labels, defined once; every concern derives its own from
 * these (kube-prometheus derives every selector from one set of common labels
 * the same way).
 */

/** What every object the platform creates carries, the add-ons' own namespaces included. */
export const MANAGED_BY_LABELS = { "app.kubernetes.io/managed-by": "pulumi" } as const;

/** What every object of the platform itself carries: part of the application, managed by Pulumi. */
export const PART_OF_PLATFORM_LABELS = { "app.kubernetes.io/part-of": APP, ...MANAGED_BY_LABELS } as const;

/** What every object of an environment carries. */
export function platformLabels(environment: string): Record<string, string> {
  return { ...PART_OF_PLATFORM_LABELS, app: APP, environment };
}

/** The object name of a service's Rollout (and the base of its other objects): `agent-hive-<service>`. */
export function serviceObjectName(service: string): string {
  return `${APP}-${service}`;
}

/**
 * What selects a service's pods: the Rollout's selector, its PDB's, and the
 * PodMonitor's. Only these two labels, because a Rollout's selector is
 * immutable and pod template labels roll every pod when they change.
 */
export function podSelectorLabels(service: string): Record<string, string> {
  return { app: APP, "app.kubernetes.io/name": serviceObjectName(service) };
}
