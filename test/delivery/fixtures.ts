import type { DeliverySpec } from "../../infra/delivery/spec";

// Specs shaped like the committed stacks: production runs the guide's canary,
// staging a short one, and a blue-green variant exercises the other strategy.

export const DIGEST = `sha256:${"a1".repeat(32)}`;

export const productionSpec = (over: Partial<DeliverySpec> = {}): DeliverySpec => ({
  environment: "production",
  namespace: "agent-hive-production",
  labels: { team: "platform" },
  service: {
    name: "orchestrator",
    image: "ghcr.io/leanvibe/agent-hive",
    tag: "1.0.0",
    port: 8080,
    replicas: 10,
    healthPath: "/health",
    stableServiceName: "agent-hive-service",
  },
  defaultResources: { request: { cpu: "250m", memory: "256Mi" }, limit: { cpu: "1", memory: "1Gi" } },
  strategy: {
    kind: "canary",
    steps: [
      { setWeight: 10, pauseSeconds: 300 },
      { setWeight: 25, pauseSeconds: 300 },
      { setWeight: 50, pauseSeconds: 300 },
      { setWeight: 75, pauseSeconds: 300 },
    ],
  },
  slo: { errorRatePerSecond: 0.1, latencyP95Seconds: 1.0, rateWindow: "5m" },
  analysis: {
    prometheusAddress: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
    interval: "1m",
    failureLimit: 2,
  },
  imageOwner: "stack",
  ...over,
});

export const stagingSpec = (over: Partial<DeliverySpec> = {}): DeliverySpec =>
  productionSpec({
    environment: "staging",
    namespace: "agent-hive-staging",
    service: { ...productionSpec().service, replicas: 2 },
    defaultResources: { request: { cpu: "100m", memory: "128Mi" }, limit: { cpu: "500m", memory: "512Mi" } },
    strategy: { kind: "canary", steps: [{ setWeight: 50, pauseSeconds: 60 }] },
    analysis: { ...productionSpec().analysis, interval: "30s", failureLimit: 1 },
    ...over,
  });

export const blueGreenSpec = (over: Partial<DeliverySpec> = {}): DeliverySpec =>
  productionSpec({
    strategy: { kind: "blueGreen", autoPromotionEnabled: false, scaleDownDelaySeconds: 30 },
    analysis: { ...productionSpec().analysis, count: 5 },
    ...over,
  });

export const ALL_SPECS = [
  ["production canary", productionSpec()],
  ["staging canary", stagingSpec()],
  ["blue-green", blueGreenSpec()],
] as const;
