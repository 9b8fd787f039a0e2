import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { beforeAll, describe, expect, it } from "vitest";
import { KubePrometheusStack } from "../../infra/addons/kube-prometheus-stack";
import { CHARTS } from "../../infra/catalogue/versions";
import { Observability } from "../../infra/observability/component";
import { PUSHGATEWAY_SERVICE } from "../../infra/catalogue/pushgateway";
import { Plan, planStack } from "../../stacks/offline/run";
import { PlanResource } from "../../stacks/offline/recorder";
import { staging, withSecondService } from "./fixtures";

const WEBHOOK = "https://hooks.slack.com/services/T0000/B0000/NOT-FOR-THE-PLAN";

/** The add-on and the slice wired as the stack would wire them, planned under the shared mocks. */
function planSlice(): Promise<Plan> {
  return planStack({ stack: "staging", values: {}, secretKeys: new Set() }, async () => {
    const provider = new k8s.Provider("k8s", {});
    const stack = new KubePrometheusStack("monitoring", {
      provider,
      namespace: "monitoring",
      pushgateway: { install: true, namespace: "pushgateway", storageSize: "1Gi" },
      protect: false,
    });
    const namespace = new k8s.core.v1.Namespace("env-namespace", { metadata: { name: "agent-hive-staging" } }, { provider });
    const pg = stack.pushgateway;
    new Observability("agent-hive", {
      spec: withSecondService(
        staging({
          ruleSelectorLabels: stack.selectorLabels,
          pushgateway: { enabled: pg !== undefined, namespace: pg?.namespaceName ?? "" },
        }),
      ),
      provider,
      namespace,
      crdDependencies: stack.crdDependencies,
      slackWebhooks: { "alerts-webhook-url": pulumi.secret(WEBHOOK) },
    });
    return {};
  });
}

/** A schema check from a model class; the plan's inputs are the builders' objects, untyped on the way. */
const check =
  <T>(Model: new (data: T) => { validate(): void }) =>
  (object: object) =>
    new Model(object as T).validate();
const MODELS: Record<string, (object: object) => void> = {
  "kubernetes:monitoring.coreos.com/v1:PrometheusRule": check(PrometheusRule),
  "kubernetes:monitoring.coreos.com/v1:PodMonitor": check(PodMonitor),
  "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": check(ServiceMonitor),
  "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig": check(AlertmanagerConfig),
  "kubernetes:core/v1:ConfigMap": check(ConfigMap),
  "kubernetes:core/v1:Secret": check(Secret),
  "kubernetes:core/v1:Namespace": check(Namespace),
};
const CUSTOM_KINDS = Object.keys(MODELS).filter((t) => t.includes("monitoring.coreos.com"));

describe("the Observability component and the kube-prometheus-stack add-on, planned", () => {
  let plan: Plan;
  const ofType = (type: string) => plan.resources.filter((r) => r.type === type);
  const one = (type: string, name?: string): PlanResource => {
    const found = ofType(type).filter((r) => name === undefined || r.name === name);
    expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
    return found[0];
  };
  /** The Slack webhook's Secret (the add-on also writes Grafana's admin Secret). */
  const slackSecret = (): PlanResource => {
    const found = ofType("kubernetes:core/v1:Secret").filter((r) => r.urn.includes("agent-hive:observability:Observability"));
    expect(found).toHaveLength(1);
    return found[0];
  };
  beforeAll(async () => {
    plan = await planSlice();
  });

  it("creates the rule, a PodMonitor per service, the Pushgateway ServiceMonitor, the routing, the Secret and two dashboards", () => {
    const component = one("agent-hive:observability:Observability");
    const children = plan.resources.filter((r) => r.parent === component.urn);
    expect(children.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "kubernetes:core/v1:ConfigMap agent-hive-configmap-agent-hive-cicd-staging-dashboard",
        "kubernetes:core/v1:ConfigMap agent-hive-configmap-agent-hive-service-staging-dashboard",
        "kubernetes:core/v1:Secret agent-hive-secret-alertmanager-slack",
        "kubernetes:monitoring.coreos.com/v1:PodMonitor agent-hive-podmonitor-agent-hive-api",
        "kubernetes:monitoring.coreos.com/v1:PodMonitor agent-hive-podmonitor-agent-hive-orchestrator",
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule agent-hive-prometheusrule-agent-hive",
        "kubernetes:monitoring.coreos.com/v1:ServiceMonitor agent-hive-servicemonitor-agent-hive-pushgateway",
        "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig agent-hive-alertmanagerconfig-agent-hive-alerts",
      ].sort(),
    );
    const provider = one("pulumi:providers:kubernetes", "k8s");
    for (const child of children) expect(child.options.provider, child.name).toBe(provider.urn);
  });

  it("makes every custom resource wait for the namespace and the CRDs' Release", () => {
    const namespace = one("kubernetes:core/v1:Namespace", "env-namespace");
    const release = one("kubernetes:helm.sh/v3:Release", "monitoring-release");
    for (const type of CUSTOM_KINDS) {
      for (const r of ofType(type)) expect(r.options.dependsOn, r.name).toEqual(expect.arrayContaining([namespace.urn, release.urn]));
    }
    const secret = slackSecret();
    expect(one("kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig").options.dependsOn).toContain(secret.urn);
  });

  it("keeps the Slack webhook a secret from config to the Secret, and out of everything else", () => {
    const secret = slackSecret();
    expect((secret.inputs as { stringData: unknown }).stringData).toBe("[secret]");
    expect(secret.options.additionalSecretOutputs).toEqual(expect.arrayContaining(["data", "stringData"]));
    expect(JSON.stringify(plan)).not.toContain("NOT-FOR-THE-PLAN");
  });

  it("registers only objects that pass their schema", () => {
    const checked = plan.resources.filter((x) => MODELS[x.type]);
    // 1 rule, 2 PodMonitors, 1 ServiceMonitor, 1 AlertmanagerConfig, 2 ConfigMaps, 2 Secrets
    // (Slack, Grafana admin), 3 Namespaces (the environment's, monitoring, the Pushgateway's).
    expect(checked).toHaveLength(12);
    for (const r of checked) {
      const object = { ...(r.inputs as object) };
      // The plan shows secrets as a marker; the schema checks the object around it.
      if (r.type === "kubernetes:core/v1:Secret") delete (object as { stringData?: unknown }).stringData;
      expect(() => MODELS[r.type](object), `${r.type} ${r.name}`).not.toThrow();
    }
  });

  it("installs the pinned kube-prometheus-stack under a fixed release name its selectors use", () => {
    const release = one("kubernetes:helm.sh/v3:Release", "monitoring-release");
    const inputs = release.inputs as { name: string; chart: string; version: string; namespace: string; values: Record<string, Record<string, Record<string, unknown>>> };
    expect(inputs).toMatchObject({ name: "kube-prometheus-stack", chart: CHARTS.kubePrometheusStack.chart, version: CHARTS.kubePrometheusStack.version, namespace: "monitoring" });
    const spec = inputs.values.prometheus.prometheusSpec;
    for (const key of ["ruleSelector", "podMonitorSelector", "serviceMonitorSelector"]) {
      expect(spec[key], key).toEqual({ matchLabels: { release: "kube-prometheus-stack" } });
    }
    expect(inputs.values.alertmanager.alertmanagerSpec).toMatchObject({
      alertmanagerConfigSelector: { matchLabels: { release: "kube-prometheus-stack" } },
      alertmanagerConfigMatcherStrategy: { type: "OnNamespace" },
    });
    expect(inputs.values.grafana.sidecar).toEqual({
      dashboards: {
        enabled: true,
        label: "grafana_dashboard",
        labelValue: "1",
        searchNamespace: "ALL",
        folderAnnotation: "grafana_folder",
        provider: { foldersFromFilesStructure: true },
      },
      // Datasources only from Grafana's own namespace (no searchNamespace): where the Loki add-on puts its own.
      datasources: { enabled: true, label: "grafana_datasource", labelValue: "1" },
    });
  });

  it("installs the pinned Pushgateway under the Service name and port the ServiceMonitor keeps", () => {
    const release = one("kubernetes:helm.sh/v3:Release", "monitoring-pushgateway");
    const inputs = release.inputs as { name: string; chart: string; version: string; values: { fullnameOverride: string; service: { port: number; portName: string } } };
    expect(inputs).toMatchObject({ name: PUSHGATEWAY_SERVICE.name, chart: CHARTS.pushgateway.chart, version: CHARTS.pushgateway.version });
    expect(inputs.values).toMatchObject({ fullnameOverride: PUSHGATEWAY_SERVICE.name, service: { port: PUSHGATEWAY_SERVICE.port.number, portName: PUSHGATEWAY_SERVICE.port.name } });
    // What the chart creates is what the environment's ServiceMonitor looks for.
    const monitor = one("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").inputs as { spec: { endpoints: { port: string; relabelings: { regex: string }[] }[] } };
    expect(monitor.spec.endpoints[0].relabelings[0].regex).toBe(inputs.values.fullnameOverride);
    expect(monitor.spec.endpoints[0].port).toBe(inputs.values.service.portName);
  });

  it("labels every operator object with the add-on's release selector", () => {
    for (const type of CUSTOM_KINDS) {
      for (const r of ofType(type)) expect((r.inputs as { metadata: { labels: Record<string, string> } }).metadata.labels.release, r.name).toBe("kube-prometheus-stack");
    }
  });

  it("gives the monitoring namespace the privileged Pod Security level node-exporter needs", () => {
    const ns = one("kubernetes:core/v1:Namespace", "monitoring-namespace");
    expect((ns.inputs as { metadata: { labels: Record<string, string> } }).metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
  });
});
