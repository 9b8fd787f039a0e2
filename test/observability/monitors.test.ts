import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { describe, expect, it } from "vitest";
import { POD_HASH_POD_LABEL } from "../../infra/catalogue/metrics";
import { buildPodMonitors, buildPushgatewayServiceMonitor } from "../../infra/observability/monitors";
import { production, staging } from "./fixtures";

describe("PodMonitors", () => {
  it("are one per service, valid, in the namespace, labelled for the operator", () => {
    const monitors = buildPodMonitors(staging());
    expect(monitors.map((m) => m.metadata?.name)).toEqual(["agent-hive-orchestrator", "agent-hive-api"]);
    for (const m of monitors) {
      expect(() => new PodMonitor(m).validate()).not.toThrow();
      expect(m.metadata?.namespace).toBe("agent-hive-staging");
      expect(m.metadata?.labels?.release).toBe("kube-prometheus-stack");
      expect(m.spec.namespaceSelector).toEqual({ matchNames: ["agent-hive-staging"] });
    }
  });

  it("select a service's pods by the delivery slice's labels", () => {
    const [orchestrator] = buildPodMonitors(production());
    expect(orchestrator.spec.selector).toEqual({ matchLabels: { app: "agent-hive", "app.kubernetes.io/name": "agent-hive-orchestrator" } });
  });

  it("scrape /metrics on the service's port and copy the pod template hash onto every series", () => {
    const [, api] = buildPodMonitors(staging());
    expect(api.spec.podTargetLabels).toEqual([POD_HASH_POD_LABEL]);
    expect(api.spec.podMetricsEndpoints).toEqual([
      { path: "/metrics", relabelings: [{ action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_port_number"], regex: "8081" }] },
    ]);
  });
});

describe("the Pushgateway ServiceMonitor", () => {
  it("scrapes the named Pushgateway Service, honouring pushed labels, keeping only this environment", () => {
    const monitor = buildPushgatewayServiceMonitor(staging());
    expect(monitor).toBeDefined();
    if (!monitor) return;
    expect(() => new ServiceMonitor(monitor).validate()).not.toThrow();
    expect(monitor.metadata?.labels?.release).toBe("kube-prometheus-stack");
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ["monitoring"] });
    const [endpoint] = monitor.spec.endpoints;
    expect(endpoint).toMatchObject({ port: "http", path: "/metrics", honorLabels: true });
    expect(endpoint.relabelings).toEqual([{ action: "keep", sourceLabels: ["__meta_kubernetes_service_name"], regex: "pushgateway" }]);
    expect(endpoint.metricRelabelings).toEqual([{ action: "keep", sourceLabels: ["namespace"], regex: "agent-hive-staging" }]);
  });

  it("is not created when the Pushgateway is off", () => {
    expect(buildPushgatewayServiceMonitor(staging({ pushgateway: { ...staging().pushgateway, enabled: false } }))).toBeUndefined();
  });
});
