import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { describe, expect, it } from "vitest";
import { cicdDashboard, CICD_TITLE } from "../../infra/observability/dashboards/cicd";
import { dashboardConfigMap, dashboards } from "../../infra/observability/dashboards/configMap";
import { dashboardUid } from "../../infra/observability/dashboards/panels";
import { serviceDashboard } from "../../infra/observability/dashboards/service";
import { DORA_RECORDS } from "../../infra/observability/dora";
import { ObservabilitySpec } from "../../infra/observability/spec";
import { dashboardTargets } from "./expressions";
import { production, staging } from "./fixtures";

type Panel = dashboard.Panel;
const panels = (model: dashboard.Dashboard): Panel[] => (model.panels ?? []).filter((p): p is Panel => "targets" in p || p.type !== "row");
const panel = (model: dashboard.Dashboard, title: string) => panels(model).find((p) => p.title === title);
const thresholdSteps = (p: Panel | undefined) => p?.fieldConfig?.defaults?.thresholds?.steps;
/** What Grafana would load: the ConfigMap's JSON, parsed. */
const loaded = (spec: ObservabilitySpec, model: dashboard.Dashboard) => {
  const data = dashboardConfigMap(spec, model).data ?? {};
  return JSON.parse(data[`${model.uid}.json`]) as dashboard.Dashboard;
};

describe("the CI/CD dashboard", () => {
  const model = loaded(staging(), cicdDashboard(staging()));

  it("is the guide's dashboard, with a stable uid per environment", () => {
    expect(model.title).toBe(`${CICD_TITLE} (staging)`);
    expect(model.uid).toBe("agent-hive-cicd-staging");
    expect(cicdDashboard(production()).uid).toBe("agent-hive-cicd-production");
    // The same spec gives the same JSON, so a redeploy changes nothing in Grafana.
    expect(JSON.stringify(cicdDashboard(staging()))).toBe(JSON.stringify(cicdDashboard(staging())));
  });

  it("shows the four DORA metrics from the recording rules of its namespace", () => {
    const byTitle = Object.fromEntries(panels(model).map((p) => [p.title, dashboardTargets({ ...model, panels: [p] }).map((t) => t.expr)]));
    expect(Object.keys(byTitle)).toEqual(["Deployment Frequency", "Lead Time", "Change Failure Rate", "Time to Restore"]);
    const sel = '{namespace="agent-hive-staging"}';
    expect(byTitle["Deployment Frequency"]).toEqual([`${DORA_RECORDS.deploymentFrequency}${sel}`]);
    expect(byTitle["Lead Time"]).toEqual([`${DORA_RECORDS.leadTimeP50}${sel}`, `${DORA_RECORDS.leadTimeMean}${sel}`]);
    expect(byTitle["Change Failure Rate"]).toEqual([`${DORA_RECORDS.changeFailureRate}${sel}`]);
    expect(byTitle["Time to Restore"]).toEqual([`${DORA_RECORDS.timeToRestoreMean}${sel}`]);
  });
});

describe("the service dashboard", () => {
  const spec = production();
  const model = loaded(spec, serviceDashboard(spec));

  it("has a stable uid per environment and the SLO and canary panels", () => {
    expect(model.uid).toBe("agent-hive-service-production");
    expect(panels(model).map((p) => p.title)).toEqual(
      expect.arrayContaining(["Request rate", "Error rate", "p95 latency", "Active agents", "Canary progress", "Pods by revision", "Analysis runs"]),
    );
  });

  it("draws the SLO thresholds from the spec", () => {
    expect(thresholdSteps(panel(model, "p95 latency"))).toEqual([
      { value: null, color: "green" },
      { value: 0.5, color: "red" },
    ]);
    expect(thresholdSteps(panel(model, "Error rate"))?.[1]).toEqual({ value: 0.05, color: "red" });
    expect(thresholdSteps(panel(model, "Active agents"))?.[1]).toEqual({ value: 3, color: "green" });
    expect(panel(model, "p95 latency")?.fieldConfig?.defaults?.custom).toMatchObject({ thresholdsStyle: { mode: "dashed" } });
  });

  it("moves the latency line with slo.latencyP95Seconds", () => {
    const faster = production({ slo: { ...spec.slo, latencyP95Seconds: 0.2 } });
    expect(thresholdSteps(panel(serviceDashboard(faster), "p95 latency"))?.[1].value).toBe(0.2);
  });

  it("splits canary from stable by the pod template hash", () => {
    const exprs = dashboardTargets(model).map((t) => t.expr);
    expect(exprs.filter((e) => e.includes("by (rollouts_pod_template_hash)") || e.includes("rollouts_pod_template_hash)")).length).toBeGreaterThanOrEqual(3);
    expect(exprs.some((e) => e.includes("rollout_info_replicas_updated"))).toBe(true);
  });
});

describe.each([
  ["staging", staging()],
  ["production", production()],
])("every dashboard of %s", (_name, spec) => {
  it("is plain JSON with unique, numbered panels and a Prometheus datasource picker", () => {
    for (const model of dashboards(spec)) {
      const json = loaded(spec, model);
      const ids = panels(json).map((p) => p.id);
      expect(ids).toEqual(ids.map((_, i) => i + 1));
      expect(json.templating?.list?.[0]).toMatchObject({ name: "datasource", type: "datasource", query: "prometheus" });
      for (const p of panels(json)) expect(p.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(json.editable).toBe(false);
    }
  });

  it("is provisioned by a valid ConfigMap the Grafana sidecar picks up, filed in the spec's folder", () => {
    for (const model of dashboards(spec)) {
      const cm = dashboardConfigMap(spec, model);
      expect(() => new ConfigMap(cm).validate()).not.toThrow();
      expect(cm.metadata?.labels).toMatchObject({ grafana_dashboard: "1", environment: spec.environment });
      expect(cm.metadata?.annotations).toEqual({ grafana_folder: spec.grafana.folder });
      expect(cm.metadata?.namespace).toBe(spec.namespace);
      expect(Object.keys(cm.data ?? {})).toEqual([`${model.uid}.json`]);
    }
  });
});

describe("dashboard uids", () => {
  it("stay within Grafana's 40 characters and unique for long environment names", () => {
    const a = dashboardUid("agent-hive-service", "a-very-long-environment-name-01");
    const b = dashboardUid("agent-hive-service", "a-very-long-environment-name-02");
    expect(a.length).toBeLessThanOrEqual(40);
    expect(a).not.toBe(b);
    expect(dashboardUid("agent-hive-service", "a-very-long-environment-name-01")).toBe(a);
  });
});
