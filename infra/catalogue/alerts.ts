/**
 * The environment's alerts as one table: the config key each is tuned under
 * (`observability.alerts.<key>`), the alert's name, and its default `for` and
 * severity. The config schema, the rule builder and the rule tests all derive
 * from this table, so adding an alert is one entry here, one in the
 * observability slice's rule table, and nothing else.
 *
 * The defaults of the guide's three alerts are the guide's own values
 * (`monitoring/prometheus-rules.yml`); a stack overrides them only by config.
 */
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AlertPolicy {
  /** A Prometheus duration such as "5m" or "1h30m". */
  readonly for: string;
  readonly severity: Severity;
}

export interface AlertEntry {
  readonly alert: string;
  readonly defaults: AlertPolicy;
  /** Where the defaults come from, for the config reference. */
  readonly source: "guide" | "platform";
}

export const ALERTS = {
  highErrorRate: { alert: "HighErrorRate", defaults: { for: "5m", severity: "warning" }, source: "guide" },
  highResponseTime: { alert: "HighResponseTime", defaults: { for: "2m", severity: "warning" }, source: "guide" },
  lowAgentCount: { alert: "LowAgentCount", defaults: { for: "1m", severity: "critical" }, source: "guide" },
  // Not in the guide: with no pod scraped, every other alert is blind.
  metricsAbsent: { alert: "MetricsAbsent", defaults: { for: "5m", severity: "warning" }, source: "platform" },
} as const satisfies Record<string, AlertEntry>;

export type AlertKey = keyof typeof ALERTS;
export type AlertName = (typeof ALERTS)[AlertKey]["alert"];
export const ALERT_KEYS = Object.keys(ALERTS) as AlertKey[];
