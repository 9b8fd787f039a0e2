import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { alertDefinitions } from "./alerts";
import { DORA_EXPRS, DORA_RECORDS, DoraRecord } from "./dora";
import type { ObservabilitySpec } from "../spec";
import { operatorSelectedLabels } from "./labels";

type RuleGroup = NonNullable<IPrometheusRule["spec"]["groups"]>[number];
type Rule = NonNullable<RuleGroup["rules"]>[number];

export const ALERT_GROUP = "agent-hive-alerts";
export const DORA_GROUP = "agent-hive-dora";

export function alertRules(spec: ObservabilitySpec): Rule[] {
  return alertDefinitions(spec).map((a) => ({
    alert: a.alert,
    expr: a.expr,
    for: a.for,
    labels: { ...a.labels },
    annotations: { ...a.annotations },
  }));
}

export function doraRecordingRules(spec: ObservabilitySpec): Rule[] {
  return (Object.keys(DORA_RECORDS) as DoraRecord[]).map((key) => ({
    record: DORA_RECORDS[key],
    expr: DORA_EXPRS[key](spec.namespace),
    // The sums drop the namespace; putting it back keeps each environment's
    // series apart when several share one Prometheus, and lets dashboards select them.
    labels: { namespace: spec.namespace, environment: spec.environment },
  }));
}

/** Alerts and recording rules kept apart in two groups, registered as one object. */
export function buildPrometheusRule(spec: ObservabilitySpec): IPrometheusRule {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "agent-hive", namespace: spec.namespace, labels: operatorSelectedLabels(spec) },
    spec: {
      groups: [
        { name: ALERT_GROUP, rules: alertRules(spec) },
        { name: DORA_GROUP, interval: spec.doraEvaluationInterval, rules: doraRecordingRules(spec) },
      ],
    },
  };
}

/** A promtool/Prometheus rule file: `groups:` at the top, as `promtool check rules` reads it. */
export interface RuleFile {
  readonly groups: RuleGroup[];
}

/**
 * The rule file of a PrometheusRule: its spec's groups, copied verbatim, so
 * what promtool checks and tests is exactly what the operator loads.
 */
export function ruleFile(rule: IPrometheusRule): RuleFile {
  return { groups: structuredClone(rule.spec.groups ?? []) };
}
