import type { IService } from "kubernetes-models/v1/Service";
import type { DeliverySpec } from "./spec";
import { objectLabels, selectorLabels } from "./labels";
import { deliveryNames } from "./names";
import { HTTP_PORT_NAME } from "./podTemplate";

/** What a Service is for; the component names its child resources by it. */
export type ServiceRole = "stable" | "canary" | "preview";

export interface RoleService {
  readonly role: ServiceRole;
  readonly service: IService;
}

/**
 * The Services the strategy needs: always the stable one (clients' address),
 * plus the canary Service (canary) or the preview Service (blue-green). They
 * select every version's pods; Argo Rollouts adds the pod-template hash to
 * each selector itself, so the builder must not.
 */
export function buildServices(spec: DeliverySpec): RoleService[] {
  const names = deliveryNames(spec.service);
  const roles: [ServiceRole, string][] = [
    ["stable", names.stableService],
    spec.strategy.kind === "canary" ? ["canary", names.canaryService] : ["preview", names.previewService],
  ];
  return roles.map(([role, name]) => ({
    role,
    service: {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace: spec.namespace, labels: objectLabels(spec) },
      spec: {
        type: "ClusterIP",
        selector: selectorLabels(spec),
        ports: [{ name: HTTP_PORT_NAME, port: spec.service.port, targetPort: HTTP_PORT_NAME, protocol: "TCP" }],
      },
    },
  }));
}
