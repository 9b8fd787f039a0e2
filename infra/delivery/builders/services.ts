import type { IService } from "kubernetes-models/v1/Service";
import type { DeliverySpec } from "../spec";
import { objectLabels, selectorLabels } from "./labels";
import { deliveryNames } from "./names";
import { HTTP_PORT_NAME } from "./pod-template";

/** What a Service is for; the component names its child resources by it. */
export type ServiceRole = "client" | "stable" | "canary" | "preview";

export interface RoleService {
  readonly role: ServiceRole;
  readonly service: IService;
}

/**
 * The Services the strategy needs. Always the clients' Service. A canary adds
 * Argo-managed stable and canary Services: Argo pins each to one version's
 * pods, so if clients used the stable one the canary would get no traffic and
 * its analysis nothing to judge (without a traffic router the split comes from
 * a Service over both versions). Blue-green adds the preview Service, and the
 * clients' Service is the active one Argo switches at promotion. Every
 * selector is the service's pod labels; Argo adds the pod-template hash to the
 * ones it manages itself, so the builder must not.
 */
export function buildServices(spec: DeliverySpec): RoleService[] {
  const names = deliveryNames(spec.service);
  const roles: [ServiceRole, string][] =
    spec.strategy.kind === "canary"
      ? [
          ["client", names.clientService],
          ["stable", names.stableService],
          ["canary", names.canaryService],
        ]
      : [
          ["client", names.clientService],
          ["preview", names.previewService],
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
