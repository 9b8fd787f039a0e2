import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { POD_HASH_POD_LABEL } from "../../catalogue/metrics";
import { APP } from "../../catalogue/names";
import { podSelectorLabels } from "../../catalogue/labels";
import { PUSHGATEWAY_SERVICE } from "../../catalogue/pushgateway";
import type { ObservabilitySpec, ObservedService } from "../spec";
import { operatorSelectedLabels } from "./labels";

export const METRICS_PATH = "/metrics";

/** Relabel regexes are anchored patterns; a literal value must not be read as one. */
const literal = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The labels of a service's pods: the catalogue's pod selector, the same the Rollout selects by. */
export function servicePodLabels(service: Pick<ObservedService, "name">): Record<string, string> {
  return podSelectorLabels(service.name);
}

/**
 * Scrapes one service's pods. It selects the scraped port by number, from the
 * same stack config the containers get their port from, rather than by a port
 * name the pod spec would also have to agree on: a mismatch there would scrape
 * nothing, and the canary analysis's guarded queries would read that as healthy.
 * The pod template hash label is copied onto every series so canary and stable
 * pods can be told apart.
 */
export function buildPodMonitor(spec: ObservabilitySpec, service: ObservedService): IPodMonitor {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name: `${APP}-${service.name}`, namespace: spec.namespace, labels: operatorSelectedLabels(spec) },
    spec: {
      selector: { matchLabels: servicePodLabels(service) },
      namespaceSelector: { matchNames: [spec.namespace] },
      podTargetLabels: [POD_HASH_POD_LABEL],
      podMetricsEndpoints: [
        {
          path: METRICS_PATH,
          relabelings: [{ action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_port_number"], regex: literal(String(service.port)) }],
        },
      ],
    },
  };
}

export function buildPodMonitors(spec: ObservabilitySpec): IPodMonitor[] {
  return spec.services.map((service) => buildPodMonitor(spec, service));
}

/**
 * Scrapes the shared Pushgateway for this environment's pipeline metrics
 * (DORA). The pipeline pushes each run with the grouping key
 * `namespace=<namespace>, run=<run id>` (dora-push.ts);
 * `honorLabels` keeps those labels instead of the scrape's own `namespace`
 * (the Pushgateway's), and only this environment's series are kept, so several
 * environments can each scrape the one Pushgateway without duplicating each
 * other's series.
 */
export function buildPushgatewayServiceMonitor(spec: ObservabilitySpec): IServiceMonitor | undefined {
  const pg = spec.pushgateway;
  if (!pg.enabled) return undefined;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: `${APP}-pushgateway`, namespace: spec.namespace, labels: operatorSelectedLabels(spec) },
    spec: {
      namespaceSelector: { matchNames: [pg.namespace] },
      // A Service is selected by labels; the chart's are not ours to rely on, its name is.
      selector: {},
      endpoints: [
        {
          port: PUSHGATEWAY_SERVICE.port.name,
          path: METRICS_PATH,
          honorLabels: true,
          relabelings: [{ action: "keep", sourceLabels: ["__meta_kubernetes_service_name"], regex: literal(PUSHGATEWAY_SERVICE.name) }],
          metricRelabelings: [{ action: "keep", sourceLabels: ["namespace"], regex: literal(spec.namespace) }],
        },
      ],
    },
  };
}
