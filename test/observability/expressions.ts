import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { dashboards } from "../../infra/observability/builders/dashboards/config-map";
import { buildPrometheusRule } from "../../infra/observability/builders/prometheus-rule";
import { ObservabilitySpec } from "../../infra/observability/spec";

export interface NamedExpr {
  readonly where: string;
  readonly expr: string;
}

/** The `expr` of every Prometheus target of every panel, whatever the panel type (Loki's LogQL is checked by its own policy). */
export function dashboardTargets(model: dashboard.Dashboard): NamedExpr[] {
  const out: NamedExpr[] = [];
  for (const panel of model.panels ?? []) {
    const targets = "targets" in panel ? (panel.targets ?? []) : [];
    for (const target of targets) {
      if ((target as { datasource?: { type?: string } }).datasource?.type === "loki") continue;
      const expr = (target as { expr?: unknown }).expr;
      if (typeof expr === "string") out.push({ where: `${model.uid} / ${panel.title}`, expr });
    }
  }
  return out;
}

/** Every PromQL expression the slice ships for an environment: rules and dashboard targets. */
export function allExpressions(spec: ObservabilitySpec): NamedExpr[] {
  const rules = (buildPrometheusRule(spec).spec.groups ?? []).flatMap((g) =>
    (g.rules ?? []).map((r) => ({ where: `${g.name} / ${r.alert ?? r.record}`, expr: String(r.expr) })),
  );
  return [...rules, ...dashboards(spec).flatMap(dashboardTargets)];
}
