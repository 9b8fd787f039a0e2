import { ALERTS, ALERT_KEYS, AlertKey, AlertName } from "../../catalogue/alerts";
import { activeAgentsExpr, errorRateExpr, latencyP95Expr, selector } from "../../catalogue/metrics";
import { namespaceSelector } from "./promql";
import type { ObservabilitySpec, Severity } from "../spec";

export type { AlertName };

/** The `{{ $value }}` template of an annotation: Prometheus fills in the alert's value. */
export const VALUE_TEMPLATE = "{{ $value }}";

/**
 * One alert as the rule file states it, plus the threshold it compares with,
 * so the rule tests drive it from the same numbers.
 */
export interface AlertDefinition {
  readonly key: AlertKey;
  readonly alert: AlertName;
  readonly expr: string;
  readonly threshold: number;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

/** What an alert checks, given the environment; `undefined` when it does not apply there. */
interface AlertRule {
  readonly condition: (spec: ObservabilitySpec, sel: string) => { readonly expr: string; readonly threshold: number } | undefined;
  readonly summary: string;
  readonly description: (spec: ObservabilitySpec) => string;
}

/**
 * The rule behind each entry of the catalogue's alert table. What each SLO
 * query measures (the worst pod) is decided in the catalogue, with the canary
 * analysis and the dashboards.
 */
const RULES: Record<AlertKey, AlertRule> = {
  highErrorRate: {
    condition: ({ slo }, sel) => ({ expr: `${errorRateExpr(sel, slo.rateWindow)} > ${slo.errorRatePerSecond}`, threshold: slo.errorRatePerSecond }),
    summary: "High error rate",
    description: ({ slo }) => `The worst pod has ${VALUE_TEMPLATE} errors per second (SLO: at most ${slo.errorRatePerSecond} per pod).`,
  },
  highResponseTime: {
    condition: ({ slo }, sel) => ({ expr: `${latencyP95Expr(sel, slo.rateWindow)} > ${slo.latencyP95Seconds}`, threshold: slo.latencyP95Seconds }),
    summary: "High response time",
    description: ({ slo }) => `The worst pod's 95th percentile response time is ${VALUE_TEMPLATE} seconds (SLO: at most ${slo.latencyP95Seconds}).`,
  },
  lowAgentCount: {
    // With no minimum the comparison could never be true: no alert rather than a dead one.
    condition: ({ slo }, sel) =>
      slo.minActiveAgents > 0 ? { expr: `${activeAgentsExpr(sel)} < ${slo.minActiveAgents}`, threshold: slo.minActiveAgents } : undefined,
    summary: "Low agent count",
    description: ({ slo }) => `Only ${VALUE_TEMPLATE} agents are active (minimum: ${slo.minActiveAgents}); 0 means no pod reports at all.`,
  },
  metricsAbsent: {
    // No pod of the environment answers its scrape: every other alert is blind.
    condition: ({ namespace }) => ({ expr: `absent(up${selector({ namespace })} == 1)`, threshold: 1 }),
    summary: "No metrics",
    description: () => "No pod of the environment has been scraped successfully: the service is down, or its metrics are unreachable, so the other alerts cannot fire.",
  },
};

function runbookUrl(spec: ObservabilitySpec, alert: string): string {
  return `${spec.runbookBaseUrl.replace(/\/+$/, "")}/${alert.toLowerCase()}`;
}

/**
 * Every alert of the catalogue's table that applies to this environment, with
 * its thresholds, `for` and severity from the spec.
 */
export function alertDefinitions(spec: ObservabilitySpec): AlertDefinition[] {
  const sel = namespaceSelector(spec.namespace);
  return ALERT_KEYS.flatMap((key) => {
    const rule = RULES[key];
    const condition = rule.condition(spec, sel);
    if (condition === undefined) return [];
    const policy = spec.alerts[key];
    const alert = ALERTS[key].alert;
    return [
      {
        key,
        alert,
        ...condition,
        for: policy.for,
        // The SLO queries aggregate away the namespace label; setting it again
        // lets Alertmanager's per-namespace routing (the operator's OnNamespace
        // matcher) and kube-prometheus-stack's inhibitions see it.
        labels: { severity: policy.severity, environment: spec.environment, namespace: spec.namespace },
        annotations: { summary: `${rule.summary} in ${spec.namespace}`, description: rule.description(spec), runbook_url: runbookUrl(spec, alert) },
      },
    ];
  });
}
