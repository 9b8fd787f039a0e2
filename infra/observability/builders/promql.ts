import { METRICS, POD_HASH_METRIC_LABEL, POD_LABEL, RATE_WINDOW, selector } from "../../catalogue/metrics";

/*
 * PromQL the catalogue does not hold yet: views the dashboards need beyond the
 * SLO queries. Built from the catalogue's metric names and selector, so a
 * rename there reaches them too. Candidates to move into the catalogue.
 */

/** The selector of one environment's series: everything in its namespace. */
export function namespaceSelector(namespace: string): string {
  return selector({ namespace });
}

/**
 * Requests per second. The service exports no request counter, but every
 * request is one observation of the response-time histogram, and its `+Inf`
 * bucket counts them all.
 */
export function requestRateExpr(namespace: string, window = RATE_WINDOW): string {
  return `sum(rate(${METRICS.responseTimeBucket}${selector({ namespace, le: "+Inf" })}[${window}]))`;
}

/**
 * The worst pod's errors per second per pod template hash: canary and stable
 * side by side, on the same per-pod figure the alert and the analysis judge.
 */
export function errorRateByRevisionExpr(namespace: string, window = RATE_WINDOW): string {
  return `max by (${POD_HASH_METRIC_LABEL}) (sum by (${POD_LABEL}, ${POD_HASH_METRIC_LABEL}) (rate(${METRICS.errors}${namespaceSelector(namespace)}[${window}])))`;
}

/** The worst pod's p95 latency per pod template hash. */
export function latencyP95ByRevisionExpr(namespace: string, window = RATE_WINDOW): string {
  return `max by (${POD_HASH_METRIC_LABEL}) (histogram_quantile(0.95, sum by (le, ${POD_LABEL}, ${POD_HASH_METRIC_LABEL}) (rate(${METRICS.responseTimeBucket}${namespaceSelector(namespace)}[${window}]))))`;
}

/** Scraped, healthy pods per pod template hash: how far a canary has replaced the stable pods. */
export function podsByRevisionExpr(namespace: string): string {
  return `count by (${POD_HASH_METRIC_LABEL}) (up${namespaceSelector(namespace)} == 1)`;
}

/**
 * The Argo Rollouts controller's own metrics (argo-rollouts `/metrics`,
 * scraped by the Argo Rollouts add-on's ServiceMonitor).
 */
export const ROLLOUTS_METRICS = {
  replicasDesired: "rollout_info_replicas_desired",
  replicasUpdated: "rollout_info_replicas_updated",
  analysisRunMetricPhase: "analysis_run_metric_phase",
} as const;

/**
 * The label that holds a Rollout's (or AnalysisRun's) namespace on the
 * controller's metrics. The controller exports it as `namespace`, but the
 * argo-rollouts chart's ServiceMonitor does not set `honorLabels`, so
 * Prometheus keeps the scrape target's own `namespace` (the controller's,
 * `argo-rollouts`) and renames the exported one to `exported_namespace`.
 * Selecting `namespace="<app namespace>"` would match nothing.
 */
export const ROLLOUTS_NAMESPACE_LABEL = "exported_namespace";

/** The selector of one environment's Rollouts in the controller's metrics. */
export function rolloutsSelector(namespace: string): string {
  return selector({ [ROLLOUTS_NAMESPACE_LABEL]: namespace });
}

/** Share of each Rollout's replicas already on the new revision: 0 to 1. */
export function canaryProgressExpr(namespace: string): string {
  const sel = rolloutsSelector(namespace);
  return `sum by (name) (${ROLLOUTS_METRICS.replicasUpdated}${sel}) / (sum by (name) (${ROLLOUTS_METRICS.replicasDesired}${sel}) > 0)`;
}

/** Analysis run measurements by metric and phase (Successful, Failed, Error, Running...). */
export function analysisRunPhasesExpr(namespace: string): string {
  return `sum by (name, metric, phase) (${ROLLOUTS_METRICS.analysisRunMetricPhase}${rolloutsSelector(namespace)})`;
}
