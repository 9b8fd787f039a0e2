import { serviceObjectName } from "../../catalogue/labels";
import type { DeliveredService } from "../spec";

/**
 * The names of a service's delivery objects. They are an external contract:
 * the pipeline runs `kubectl argo rollouts status agent-hive-orchestrator`,
 * clients call the stable Service, and renaming any of them replaces it.
 */
export interface DeliveryNames {
  readonly rollout: string;
  readonly container: string;
  /**
   * The clients' address (the guide's `agent-hive-service`). With a canary it
   * selects every version's pods, so traffic splits by replica count; Argo
   * never touches it. With blue-green it is the active Service Argo switches.
   */
  readonly clientService: string;
  /** Stable pods only (Argo pins its selector): for the canary's comparison and debugging. */
  readonly stableService: string;
  /** Canary pods only, while a canary runs. */
  readonly canaryService: string;
  /** The new (green) pods before promotion, for blue-green. */
  readonly previewService: string;
  readonly analysisTemplate: string;
  readonly podDisruptionBudget: string;
  /** The pods' own identity, which carries the registry's pull secrets. */
  readonly serviceAccount: string;
}

export function deliveryNames(service: Pick<DeliveredService, "name" | "stableServiceName">): DeliveryNames {
  const base = serviceObjectName(service.name);
  return {
    rollout: base,
    container: service.name,
    clientService: service.stableServiceName,
    stableService: `${base}-stable`,
    canaryService: `${base}-canary`,
    previewService: `${base}-preview`,
    analysisTemplate: `${base}-slo`,
    podDisruptionBudget: base,
    serviceAccount: base,
  };
}

/** The stable Service name of a service that has no name from the guide. */
export function defaultStableServiceName(serviceName: string): string {
  return serviceObjectName(serviceName);
}
