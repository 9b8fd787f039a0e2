import { APP } from "../catalogue/names";
import type { DeliveredService } from "./spec";

/**
 * The names of a service's delivery objects. They are an external contract:
 * the pipeline runs `kubectl argo rollouts status agent-hive-orchestrator`,
 * clients call the stable Service, and renaming any of them replaces it.
 */
export interface DeliveryNames {
  readonly rollout: string;
  readonly container: string;
  readonly stableService: string;
  /** Canary pods only, while a canary runs. */
  readonly canaryService: string;
  /** The new (green) pods before promotion, for blue-green. */
  readonly previewService: string;
  readonly analysisTemplate: string;
  readonly podDisruptionBudget: string;
}

export function deliveryNames(service: Pick<DeliveredService, "name" | "stableServiceName">): DeliveryNames {
  const base = `${APP}-${service.name}`;
  return {
    rollout: base,
    container: service.name,
    stableService: service.stableServiceName,
    canaryService: `${base}-canary`,
    previewService: `${base}-preview`,
    analysisTemplate: `${base}-slo`,
    podDisruptionBudget: base,
  };
}

/** The stable Service name of a service that has no name from the guide. */
export function defaultStableServiceName(serviceName: string): string {
  return `${APP}-${serviceName}`;
}

/** In-cluster URL of a Service, such as a Prometheus for `analysis.prometheusAddress`. */
export function clusterServiceUrl(service: string, namespace: string, port: number): string {
  return `http://${service}.${namespace}.svc:${port}`;
}
