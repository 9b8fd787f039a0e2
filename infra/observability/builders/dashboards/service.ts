import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { POD_HASH_METRIC_LABEL, activeAgentsExpr, errorRateExpr, latencyP95Expr } from "../../../catalogue/metrics";
import { LOKI_DATASOURCE } from "../../../catalogue/logs";
import { APP } from "../../../catalogue/names";
import {
  analysisRunPhasesExpr,
  canaryProgressExpr,
  errorRateByRevisionExpr,
  latencyP95ByRevisionExpr,
  namespaceSelector,
  podsByRevisionExpr,
  requestRateExpr,
} from "../promql";
import type { ObservabilitySpec } from "../../spec";
import { logsPanel, revisionVariable } from "./logs";
import { buildDashboard, dashboardUid, lowerLimit, statPanel, timeseriesPanel, upperLimit } from "./panels";

export const SERVICE_TITLE = "Agent Hive Service";

/**
 * The service's health against its SLO (the same queries and thresholds as
 * the alerts and the canary analysis) and the progress of a rollout.
 */
export function serviceDashboard(spec: ObservabilitySpec): dashboard.Dashboard {
  const ns = spec.namespace;
  // Loki, when the stack has it: a logs panel beside the error rate by revision, and the revision picker.
  const lokiSource = spec.logs === undefined ? undefined : { type: LOKI_DATASOURCE.type, uid: spec.logs.datasourceUid };
  const sel = namespaceSelector(ns);
  const { slo } = spec;
  const window = slo.rateWindow;
  const revision = `{{${POD_HASH_METRIC_LABEL}}}`;
  return buildDashboard({
    uid: dashboardUid(`${APP}-service`, spec.environment),
    title: `${SERVICE_TITLE} (${spec.environment})`,
    description: `Requests, errors, latency and agents of ${ns} against its SLO, and canary progress.`,
    tags: [APP, "slo", "canary", spec.environment],
    timeFrom: "now-6h",
    panels: [
      timeseriesPanel({
        title: "Request rate",
        description: "Requests per second.",
        unit: "reqps",
        targets: [{ expr: requestRateExpr(ns, window), legend: "requests/s" }],
      }),
      timeseriesPanel({
        title: "Error rate",
        description: `Errors per second of the worst pod; the HighErrorRate alert fires above ${slo.errorRatePerSecond}.`,
        unit: "short",
        thresholds: upperLimit(slo.errorRatePerSecond),
        targets: [{ expr: errorRateExpr(sel, window), legend: "errors/s" }],
      }),
      timeseriesPanel({
        title: "p95 latency",
        description: `95th percentile response time of the worst pod; the HighResponseTime alert fires above ${slo.latencyP95Seconds}s.`,
        unit: "s",
        thresholds: upperLimit(slo.latencyP95Seconds),
        targets: [{ expr: latencyP95Expr(sel, window), legend: "p95" }],
      }),
      statPanel({
        title: "Active agents",
        description: `Active agents of the replica reporting fewest (0: no replica reports); the LowAgentCount alert fires below ${slo.minActiveAgents}.`,
        unit: "none",
        width: 12,
        thresholds: lowerLimit(slo.minActiveAgents),
        targets: [{ expr: activeAgentsExpr(sel) }],
      }),
      timeseriesPanel({
        title: "Error rate by revision",
        description: "The worst pod's errors per second, canary and stable side by side, by pod template hash.",
        unit: "short",
        thresholds: upperLimit(slo.errorRatePerSecond),
        targets: [{ expr: errorRateByRevisionExpr(ns, window), legend: revision }],
      }),
      ...(lokiSource === undefined ? [] : [logsPanel(ns, lokiSource)]),
      timeseriesPanel({
        title: "p95 latency by revision",
        description: "The worst pod's p95, canary and stable side by side, by pod template hash.",
        unit: "s",
        // With the logs beside the error rate, this one takes the row to itself, keeping the grid whole.
        width: lokiSource === undefined ? 12 : 24,
        thresholds: upperLimit(slo.latencyP95Seconds),
        targets: [{ expr: latencyP95ByRevisionExpr(ns, window), legend: revision }],
      }),
      timeseriesPanel({
        title: "Canary progress",
        description: "Share of each Rollout's replicas on the new revision (Argo Rollouts controller).",
        unit: "percentunit",
        width: 8,
        targets: [{ expr: canaryProgressExpr(ns), legend: "{{name}}" }],
      }),
      timeseriesPanel({
        title: "Pods by revision",
        description: "Scraped pods per pod template hash.",
        unit: "none",
        width: 8,
        targets: [{ expr: podsByRevisionExpr(ns), legend: revision }],
      }),
      timeseriesPanel({
        title: "Analysis runs",
        description: "Canary analysis measurements by metric and phase (Argo Rollouts controller).",
        unit: "none",
        width: 8,
        targets: [{ expr: analysisRunPhasesExpr(ns), legend: "{{name}} {{metric}} {{phase}}" }],
      }),
    ],
    variables: lokiSource === undefined ? [] : [revisionVariable(ns, lokiSource)],
  });
}
