/**
 * The one catalogue of the service's metrics (names from the guide's code and
 * rules) and the PromQL built on them. Alert rules, the canary analysis and the
 * dashboards all call these functions with the SLO thresholds from stack config,
 * so the three can never disagree on what "healthy" means.
 */
export const METRICS = {
  errors: "agent_hive_errors_total",
  responseTimeBucket: "agent_hive_response_time_seconds_bucket",
  activeAgents: "agent_hive_active_agents",
  deployments: "agent_hive_deployments_total",
  failedDeployments: "agent_hive_failed_deployments_total",
  leadTime: "agent_hive_lead_time_seconds",
  recoveryTime: "agent_hive_recovery_time_seconds",
  /** Ours, not the guide's: when a run deployed (unix seconds), so a window selects runs by their own time. */
  deploymentTimestamp: "agent_hive_deployment_timestamp_seconds",
  /** Ours: since when an environment has been failing (its first failed deploy not yet restored). */
  failingSince: "agent_hive_dora_failing_since_timestamp_seconds",
} as const;

/** The window the guide's rules use for rates; a stack may set another (`slo.rateWindow`). */
export const RATE_WINDOW = "5m";

/**
 * The target label that names a pod on every scraped series: the Prometheus
 * operator's PodMonitor adds it (with `namespace` and `container`).
 */
export const POD_LABEL = "pod";

/** A PromQL label matcher list, `{a="b",c=~"d"}`, or "" for none. */
export function selector(matchers: Readonly<Record<string, string>>): string {
  const parts = Object.entries(matchers).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/*
 * What each SLO measures, decided here once; the alerts, the canary analysis
 * and the dashboards all call these functions, so they judge one quantity.
 *
 * Every SLO is judged per pod, on the worst pod. The guide's rules compare
 * each series with the threshold (`rate(agent_hive_errors_total[5m]) > 0.1`
 * fires for any pod above 0.1 errors/s), and the worst pod keeps exactly that
 * meaning while giving one alert per environment, not one per pod. A per-pod
 * figure does not grow with the number of pods: ten replicas do not make the
 * environment fire at a tenth of the guide's rate, and a canary is judged on
 * the same figure at 10 % weight (one pod) as at 75 % (many pods), because
 * each pod takes about the same share of traffic whatever the weight.
 *
 * - Error rate: errors per second of the worst pod (all its error series).
 * - Latency: p95 response time of the worst pod, from its own histogram.
 * - Active agents: the lowest count any replica reports; no replica reporting
 *   at all (every pod gone, or never scraped) counts as 0, so the alert that
 *   matters most still fires when the series vanish.
 */

/** Errors per second of the worst pod among the selected series. */
export function errorRateExpr(sel = "", window = RATE_WINDOW): string {
  return `max(sum by (${POD_LABEL}) (rate(${METRICS.errors}${sel}[${window}])))`;
}

/** p95 response time in seconds of the worst pod (the guide's `histogram_quantile(0.95, ...)` per pod). */
export function latencyP95Expr(sel = "", window = RATE_WINDOW): string {
  return `max(histogram_quantile(0.95, sum by (${POD_LABEL}, le) (rate(${METRICS.responseTimeBucket}${sel}[${window}]))))`;
}

/** Active agents of the replica that reports fewest; 0 when none reports. */
export function activeAgentsExpr(sel = ""): string {
  return `(min(${METRICS.activeAgents}${sel}) or vector(0))`;
}

/** Scrape targets that answer (`up == 1`) among the selected ones: proof that metrics exist at all. */
export function scrapedTargetsExpr(sel = ""): string {
  return `sum(up${sel} == 1)`;
}

/**
 * Guards a query for automated decisions: no series (no errors counted yet) and
 * NaN (no requests, so no quantile) both read as 0, healthy, instead of an empty
 * result that would fail a canary analysis on a quiet service.
 */
export function guarded(expr: string): string {
  return `((${expr}) >= 0) or vector(0)`;
}

/**
 * The Prometheus label that tells a canary pod's series from a stable pod's.
 * Argo Rollouts labels each pod `rollouts-pod-template-hash`; the platform's
 * PodMonitor copies that pod label onto every series (`podTargetLabels`), where
 * Prometheus spells it with underscores. The canary analysis filters on it.
 */
export const POD_HASH_POD_LABEL = "rollouts-pod-template-hash";
export const POD_HASH_METRIC_LABEL = "rollouts_pod_template_hash";
