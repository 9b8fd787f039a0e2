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
} as const;

/** The window the guide's rules use for rates. */
export const RATE_WINDOW = "5m";

/** A PromQL label matcher list, `{a="b",c=~"d"}`, or "" for none. */
export function selector(matchers: Readonly<Record<string, string>>): string {
  const parts = Object.entries(matchers).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Errors per second, summed over the selected series (the guide's `rate(agent_hive_errors_total[5m])`). */
export function errorRateExpr(sel = "", window = RATE_WINDOW): string {
  return `sum(rate(${METRICS.errors}${sel}[${window}]))`;
}

/** p95 response time in seconds (the guide's `histogram_quantile(0.95, ...)`), aggregated by bucket. */
export function latencyP95Expr(sel = "", window = RATE_WINDOW): string {
  return `histogram_quantile(0.95, sum by (le) (rate(${METRICS.responseTimeBucket}${sel}[${window}])))`;
}

/** Active agents reported by the hive. */
export function activeAgentsExpr(sel = ""): string {
  return `sum(${METRICS.activeAgents}${sel})`;
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
