import { activeAgentsExpr, errorRateExpr, latencyP95Expr } from "../catalogue/metrics";
import { namespaceSelector } from "./promql";
import { AlertPolicy, ObservabilitySpec, Severity, durationSeconds } from "./spec";

export type AlertName = "HighErrorRate" | "HighResponseTime" | "LowAgentCount";

/** The `{{ $value }}` template of an annotation: Prometheus fills in the alert's value. */
export const VALUE_TEMPLATE = "{{ $value }}";

/**
 * One alert as the rule file states it, plus the threshold it compares with,
 * so the rule tests drive it from the same numbers.
 */
export interface AlertDefinition {
  readonly alert: AlertName;
  readonly expr: string;
  readonly threshold: number;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

function runbookUrl(spec: ObservabilitySpec, alert: AlertName): string {
  return `${spec.runbookBaseUrl.replace(/\/+$/, "")}/${alert.toLowerCase()}`;
}

function define(
  spec: ObservabilitySpec,
  alert: AlertName,
  policy: AlertPolicy,
  expr: string,
  threshold: number,
  summary: string,
  description: string,
): AlertDefinition {
  durationSeconds(policy.for); // refuse a `for` Prometheus would refuse, naming the value
  return {
    alert,
    expr,
    threshold,
    for: policy.for,
    // The SLO queries sum over the namespace and drop its label; setting it
    // again lets Alertmanager's per-namespace routing (AlertmanagerConfig's
    // OnNamespace matcher) and kube-prometheus-stack's inhibitions see it.
    labels: { severity: policy.severity, environment: spec.environment, namespace: spec.namespace },
    annotations: { summary, description, runbook_url: runbookUrl(spec, alert) },
  };
}

/**
 * The guide's three alerts over the catalogue's SLO queries, with this
 * environment's thresholds, `for` and severities.
 */
export function alertDefinitions(spec: ObservabilitySpec): AlertDefinition[] {
  const sel = namespaceSelector(spec.namespace);
  const { slo, alerts } = spec;
  const where = `in ${spec.namespace}`;
  const definitions = [
    define(
      spec,
      "HighErrorRate",
      alerts.highErrorRate,
      `${errorRateExpr(sel)} > ${slo.errorRatePerSecond}`,
      slo.errorRatePerSecond,
      `High error rate ${where}`,
      `Error rate is ${VALUE_TEMPLATE} errors per second (SLO: at most ${slo.errorRatePerSecond}).`,
    ),
    define(
      spec,
      "HighResponseTime",
      alerts.highResponseTime,
      `${latencyP95Expr(sel)} > ${slo.latencyP95Seconds}`,
      slo.latencyP95Seconds,
      `High response time ${where}`,
      `95th percentile response time is ${VALUE_TEMPLATE} seconds (SLO: at most ${slo.latencyP95Seconds}).`,
    ),
  ];
  // With no minimum the comparison could never be true: no alert rather than a dead one.
  if (slo.minActiveAgents > 0) {
    definitions.push(
      define(
        spec,
        "LowAgentCount",
        alerts.lowAgentCount,
        `${activeAgentsExpr(sel)} < ${slo.minActiveAgents}`,
        slo.minActiveAgents,
        `Low agent count ${where}`,
        `Only ${VALUE_TEMPLATE} agents are active (minimum: ${slo.minActiveAgents}).`,
      ),
    );
  }
  return definitions;
}
