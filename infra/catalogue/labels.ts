import { APP } from "./names";

/*
 * The platform's labels, defined once; every concern derives its own from
 * these (kube-prometheus derives every selector from one set of common labels
 * the same way).
 */

/** What every object of an environment carries. */
export function platformLabels(environment: string): Record<string, string> {
  return {
    "app.kubernetes.io/part-of": APP,
    "app.kubernetes.io/managed-by": "pulumi",
    app: APP,
    environment,
  };
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
