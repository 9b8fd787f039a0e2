import { clusterServiceUrl } from "./names";

/*
 * The contract between the Loki add-on (which installs Loki and admits the
 * shipper and Grafana to it), the log-shipper add-on (which pushes to it) and
 * the observability slice (whose service dashboard queries it): the Service,
 * the stream labels and the Grafana datasource, each written once.
 */

/** The Loki Helm release: fixed, since the chart names its Service and pods after it. */
export const LOKI_RELEASE = "loki";

/**
 * Loki's Service in single-binary mode: the chart names it after the release
 * (`loki.fullname`), on `loki.server.http_listen_port`, which the add-on states.
 */
export const LOKI_SERVICE = { name: LOKI_RELEASE, port: { name: "http-metrics", number: 3100 } } as const;

/** The labels the loki chart gives its pods (app.kubernetes.io/name and instance). */
export const LOKI_POD_LABELS = { "app.kubernetes.io/name": "loki", "app.kubernetes.io/instance": LOKI_RELEASE } as const;

/** The log shipper's Helm release (Grafana Alloy). */
export const LOG_SHIPPER_RELEASE = "alloy";

/** The labels the alloy chart gives its pods: what Loki's NetworkPolicy admits. */
export const LOG_SHIPPER_POD_LABELS = { "app.kubernetes.io/name": "alloy", "app.kubernetes.io/instance": LOG_SHIPPER_RELEASE } as const;

/**
 * The labels of every log stream the shipper writes: the dashboards filter on
 * them. `revision` is the pod's `rollouts-pod-template-hash`, so a canary's
 * logs and its error rate (by the same hash) can be read side by side.
 */
export const LOG_STREAM_LABELS = { namespace: "namespace", pod: "pod", container: "container", app: "app", revision: "revision" } as const;

/** Loki's base URL in `lokiNamespace`: `http://loki.loki.svc:3100`. */
export function lokiAddress(lokiNamespace: string): string {
  return clusterServiceUrl(LOKI_SERVICE.name, lokiNamespace, LOKI_SERVICE.port.number);
}

/** Where a shipper pushes: Loki's push API. */
export function lokiPushUrl(lokiNamespace: string): string {
  return `${lokiAddress(lokiNamespace)}/loki/api/v1/push`;
}

/**
 * Grafana's Loki datasource: a fixed uid, so the dashboards can name it
 * without a picker and a second Grafana finds the same one.
 */
export const LOKI_DATASOURCE = { uid: "loki", name: "Loki", type: "loki" } as const;
