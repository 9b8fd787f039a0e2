import { ObservabilitySpec } from "../../infra/observability/spec";

/** A staging-like spec: lenient alerts, warnings only. */
export const staging = (over: Partial<ObservabilitySpec> = {}): ObservabilitySpec => ({
  environment: "staging",
  namespace: "agent-hive-staging",
  labels: { team: "platform" },
  services: [
    { name: "orchestrator", port: 8080 },
    { name: "api", port: 8081 },
  ],
  slo: { errorRatePerSecond: 0.1, latencyP95Seconds: 1, minActiveAgents: 1, rateWindow: "5m" },
  alerts: {
    highErrorRate: { for: "10m", severity: "warning" },
    highResponseTime: { for: "5m", severity: "warning" },
    lowAgentCount: { for: "5m", severity: "warning" },
    metricsAbsent: { for: "5m", severity: "warning" },
  },
  runbookBaseUrl: "https://runbooks.leanvibe.dev/agent-hive/",
  ruleSelectorLabels: { release: "kube-prometheus-stack" },
  grafana: { folder: "Agent Hive staging", dashboardLabel: { name: "grafana_dashboard", value: "1" } },
  slack: {
    destinations: [{ receiver: "slack-alerts", channel: "#agent-hive-staging-alerts", secretKey: "alerts-webhook-url", severities: ["critical", "warning", "info"] }],
    secretName: "alertmanager-slack",
    sendResolved: true,
  },
  doraEvaluationInterval: "5m",
  notifications: { groupWait: "30s", groupInterval: "5m", repeatInterval: { critical: "1h", warning: "4h", info: "4h" } },
  pushgateway: { enabled: true, namespace: "pushgateway" },
  ...over,
});

/** A production-like spec: the guide's thresholds and timings, critical pages. */
export const production = (over: Partial<ObservabilitySpec> = {}): ObservabilitySpec => ({
  ...staging(),
  environment: "production",
  namespace: "agent-hive-production",
  slo: { errorRatePerSecond: 0.05, latencyP95Seconds: 0.5, minActiveAgents: 3, rateWindow: "5m" },
  alerts: {
    highErrorRate: { for: "5m", severity: "warning" },
    highResponseTime: { for: "2m", severity: "warning" },
    lowAgentCount: { for: "1m", severity: "critical" },
    metricsAbsent: { for: "5m", severity: "critical" },
  },
  grafana: { folder: "Agent Hive production", dashboardLabel: { name: "grafana_dashboard", value: "1" } },
  slack: {
    destinations: [
      { receiver: "slack-critical", channel: "#agent-hive-pager", secretKey: "critical-webhook-url", severities: ["critical"] },
      { receiver: "slack-warning", channel: "#agent-hive-production-alerts", secretKey: "warning-webhook-url", severities: ["warning", "info"] },
    ],
    secretName: "alertmanager-slack",
    sendResolved: true,
  },
  ...over,
});
