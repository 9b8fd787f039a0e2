import { clusterServiceUrl } from "./names";

/*
 * The contract between the kube-prometheus-stack add-on, which installs the
 * Pushgateway, the observability slice, whose ServiceMonitor scrapes it, and
 * the pipelines that push DORA runs to it. One constant, so the Service the
 * chart creates and the one the ServiceMonitor keeps cannot drift.
 */

/**
 * The Pushgateway's Service: the chart's `fullnameOverride` names it, and its
 * port is the prometheus-pushgateway chart's `http`, 9091.
 */
export const PUSHGATEWAY_SERVICE = { name: "pushgateway", port: { name: "http", number: 9091 } } as const;

/** In-cluster base URL of the Pushgateway in `pushgatewayNamespace`: `http://pushgateway.pushgateway.svc:9091`. */
export function pushgatewayAddress(pushgatewayNamespace: string): string {
  return clusterServiceUrl(PUSHGATEWAY_SERVICE.name, pushgatewayNamespace, PUSHGATEWAY_SERVICE.port.number);
}
