import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { describe, expect, it } from "vitest";
import { pushgatewayValues } from "../../../infra/addons/kube-prometheus-stack/builders";
import { POD_HASH_POD_LABEL } from "../../../infra/catalogue/metrics";
import { selectorLabels } from "../../../infra/delivery/builders/labels";
import { buildPodTemplate } from "../../../infra/delivery/builders/pod-template";
import { buildRollout } from "../../../infra/delivery/builders/rollout";
import { buildPodMonitor, buildPodMonitors, buildPushgatewayServiceMonitor } from "../../../infra/observability/builders/monitors";
import { PUSHGATEWAY_SERVICE } from "../../../infra/catalogue/pushgateway";
import { ALL_SPECS } from "../../delivery/fixtures";
import { production, staging, withSecondService } from "../fixtures";

describe("PodMonitors", () => {
  it("are one per service, valid, in the namespace, labelled for the operator", () => {
    const monitors = buildPodMonitors(withSecondService(staging()));
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

  it.each(ALL_SPECS)("select exactly the pods the delivery slice labels and selects (%s)", (_name, delivery) => {
    const monitor = buildPodMonitor(staging({ namespace: delivery.namespace }), { name: delivery.service.name, port: delivery.service.port });
    expect(monitor.spec.selector.matchLabels).toEqual(selectorLabels(delivery));
    expect(monitor.spec.selector.matchLabels).toEqual(buildRollout(delivery).spec?.selector?.matchLabels);
    expect(buildPodTemplate(delivery).metadata?.labels).toMatchObject(monitor.spec.selector.matchLabels ?? {});
    // Another service's pods are not selected.
    const other = buildPodMonitor(staging(), { name: `${delivery.service.name}-other`, port: delivery.service.port });
    expect(other.spec.selector.matchLabels).not.toEqual(selectorLabels(delivery));
  });

  it("scrape /metrics on the service's port and copy the pod template hash onto every series", () => {
    const [, api] = buildPodMonitors(withSecondService(staging()));
    expect(api.spec.podTargetLabels).toEqual([POD_HASH_POD_LABEL]);
    expect(api.spec.podMetricsEndpoints).toEqual([
      { path: "/metrics", relabelings: [{ action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_port_number"], regex: "8081" }] },
    ]);
  });
});

describe("the Pushgateway ServiceMonitor", () => {
  it("scrapes the named Pushgateway Service, honouring pushed labels, keeping only this environment", () => {
    const monitor = buildPushgatewayServiceMonitor(staging());
    if (!monitor) throw new Error("no Pushgateway ServiceMonitor, though the spec turns the Pushgateway on");
    expect(() => new ServiceMonitor(monitor).validate()).not.toThrow();
    expect(monitor.metadata).toMatchObject({ name: "agent-hive-pushgateway", namespace: "agent-hive-staging" });
    expect(monitor.metadata?.labels?.release).toBe("kube-prometheus-stack");
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ["pushgateway"] });
    const [endpoint] = monitor.spec.endpoints;
    expect(endpoint).toMatchObject({ port: "http", path: "/metrics", honorLabels: true });
    expect(endpoint.relabelings).toEqual([{ action: "keep", sourceLabels: ["__meta_kubernetes_service_name"], regex: "pushgateway" }]);
    expect(endpoint.metricRelabelings).toEqual([{ action: "keep", sourceLabels: ["namespace"], regex: "agent-hive-staging" }]);
  });

  it("finds the Service by the one constant the add-on installs it under, name and port", () => {
    const monitor = buildPushgatewayServiceMonitor(staging());
    const values = pushgatewayValues() as { fullnameOverride: string; service: { port: number; portName: string } };
    expect(values).toMatchObject({ fullnameOverride: PUSHGATEWAY_SERVICE.name, service: { port: PUSHGATEWAY_SERVICE.port.number, portName: PUSHGATEWAY_SERVICE.port.name } });
    expect(monitor?.spec.endpoints[0].port).toBe(values.service.portName);
    expect(monitor?.spec.endpoints[0].relabelings?.[0].regex).toBe(values.fullnameOverride);
  });

  it("is not created when the Pushgateway is off", () => {
    expect(buildPushgatewayServiceMonitor(staging({ pushgateway: { ...staging().pushgateway, enabled: false } }))).toBeUndefined();
  });
});
