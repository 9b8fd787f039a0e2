import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { afterAll, describe, expect, it } from "vitest";
import { argoRolloutsValues } from "../../../infra/addons/argo-rollouts/builders";
import { LOKI_DATASOURCE } from "../../../infra/catalogue/logs";
import { selector } from "../../../infra/catalogue/metrics";
import { cicdDashboard, CICD_TITLE } from "../../../infra/observability/builders/dashboards/cicd";
import { dashboardConfigMap, dashboards } from "../../../infra/observability/builders/dashboards/config-map";
import { dashboardUid } from "../../../infra/observability/builders/dashboards/panels";
import { serviceDashboard } from "../../../infra/observability/builders/dashboards/service";
import { REVISION_VARIABLE } from "../../../infra/observability/builders/dashboards/logs";
import { logqlErrors } from "../../../policies/lib/logql";
import { dashboardLogQueriesMustParse } from "../../../policies/monitoring/dashboard-log-queries-must-parse";
import { PlanValue } from "../../../stacks/offline/redact";
import { resource, violationsOf } from "../../policies/fixtures";
import { DORA_RECORDS } from "../../../infra/observability/builders/dora";
import { ROLLOUTS_METRICS, analysisRunPhasesExpr, canaryProgressExpr } from "../../../infra/observability/builders/promql";
import { ObservabilitySpec } from "../../../infra/observability/spec";
import { dashboardTargets } from "../expressions";
import { production, staging } from "../fixtures";
import { describeWithTool, removeDir, run, writeFiles } from "../tools";

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
      { value: 1, color: "red" },
    ]);
    expect(thresholdSteps(panel(model, "Error rate"))?.[1]).toEqual({ value: 0.1, color: "red" });
    expect(thresholdSteps(panel(model, "Active agents"))?.[1]).toEqual({ value: 3, color: "green" });
    expect(panel(model, "p95 latency")?.fieldConfig?.defaults?.custom).toMatchObject({ thresholdsStyle: { mode: "dashed" } });
  });

  it("moves the latency and error-rate lines with slo.latencyP95Seconds and slo.errorRatePerSecond", () => {
    const stricter = serviceDashboard(production({ slo: { ...spec.slo, latencyP95Seconds: 0.2, errorRatePerSecond: 0.05 } }));
    expect(thresholdSteps(panel(stricter, "p95 latency"))?.[1].value).toBe(0.2);
    expect(thresholdSteps(panel(stricter, "Error rate"))?.[1].value).toBe(0.05);
  });

  it("splits canary from stable by the pod template hash", () => {
    const splitByRevision = dashboardTargets(model)
      .filter((t) => /^(max|count) by \(rollouts_pod_template_hash\) /.test(t.expr))
      .map((t) => t.where);
    expect(splitByRevision).toEqual(["Error rate by revision", "p95 latency by revision", "Pods by revision"].map((title) => `${model.uid} / ${title}`));
    expect(dashboardTargets(model).some((t) => t.expr.includes("rollout_info_replicas_updated"))).toBe(true);
  });
});

describe("the service dashboard's logs", () => {
  const spec = production();
  const model = loaded(spec, serviceDashboard(spec));
  const logs = panel(model, "Logs by revision");
  const exprs = (logs?.targets ?? []).map((t) => (t as { expr?: string }).expr ?? "");

  it("sit beside the error rate by revision, from the Loki datasource", () => {
    const titles = panels(model).map((p) => p.title);
    expect(titles.indexOf("Logs by revision")).toBe(titles.indexOf("Error rate by revision") + 1);
    expect(logs?.gridPos).toMatchObject({ y: panel(model, "Error rate by revision")?.gridPos?.y, w: 12 });
    expect(logs).toMatchObject({ type: "logs", datasource: { type: "loki", uid: LOKI_DATASOURCE.uid } });
  });

  it("are the environment's pods of the revision picked in the revision variable", () => {
    expect(exprs).toEqual(['{namespace="agent-hive-production", revision=~"$revision"}']);
    const revision = model.templating?.list?.find((v) => v.name === REVISION_VARIABLE);
    expect(revision).toMatchObject({
      type: "query",
      datasource: { type: "loki", uid: LOKI_DATASOURCE.uid },
      query: 'label_values({namespace="agent-hive-production"}, revision)',
      includeAll: true,
      allValue: ".*",
    });
  });

  it("query in valid LogQL, which the pack's policy accepts, while a broken query fails it", async () => {
    expect(exprs.flatMap(logqlErrors)).toEqual([]);
    const cm = dashboardConfigMap(spec, serviceDashboard(spec));
    const planned = [resource("kubernetes:core/v1:ConfigMap", "dash", cm as unknown as Record<string, PlanValue>)];
    expect(await violationsOf(dashboardLogQueriesMustParse, planned)).toEqual([]);
    // The same ConfigMap with the logs query's closing brace dropped.
    const key = Object.keys(cm.data ?? {})[0];
    const data = (cm.data ?? {})[key].replace(String.raw`revision=~\"$revision\"}`, String.raw`revision=~\"$revision\"`);
    expect(data).not.toBe((cm.data ?? {})[key]);
    const broken = { ...cm, data: { [key]: data } } as unknown as Record<string, PlanValue>;
    expect((await violationsOf(dashboardLogQueriesMustParse, [{ ...planned[0], inputs: broken }])).join("\n")).toMatch(/panel "Logs by revision": syntax error/);
  });

  it("are left out, with the revision variable, where the stack has no Loki", () => {
    const without = serviceDashboard(production({ logs: undefined }));
    expect(panels(without).map((p) => p.type)).not.toContain("logs");
    expect(without.templating?.list?.map((v) => v.name)).toEqual(["datasource"]);
    expect(panel(without, "p95 latency by revision")?.gridPos?.w).toBe(12);
  });

  it("are not fed to the PromQL checks", () => {
    expect(dashboardTargets(model).map((t) => t.where)).not.toContain(`${model.uid} / Logs by revision`);
  });
});

describe("the Argo Rollouts panels", () => {
  const spec = production();
  const model = loaded(spec, serviceDashboard(spec));
  const exprsOf = (title: string) => dashboardTargets({ ...model, panels: [panel(model, title) as Panel] }).map((t) => t.expr);

  it("select the environment's Rollouts by exported_namespace: the controller's own namespace label, renamed at scrape", () => {
    for (const title of ["Canary progress", "Analysis runs"]) {
      const exprs = exprsOf(title);
      expect(exprs.length, title).toBeGreaterThan(0);
      for (const expr of exprs) {
        const selections = [...expr.matchAll(/(rollout_info_[a-z_]+|analysis_run_[a-z_]+)(\{[^}]*\})/g)];
        expect(selections.length, expr).toBeGreaterThan(0);
        for (const [, , matchers] of selections) expect(matchers).toBe('{exported_namespace="agent-hive-production"}');
      }
    }
  });

  it("rely on the chart's ServiceMonitor not honouring the controller's labels: it must not set honorLabels", () => {
    // With honorLabels the controller's `namespace` would stay `namespace`, and these panels would select nothing.
    const values: { controller?: { metrics?: { serviceMonitor?: Record<string, unknown> } } } = argoRolloutsValues({ selectorLabels: { release: "kube-prometheus-stack" } });
    const serviceMonitor = values.controller?.metrics?.serviceMonitor;
    expect(serviceMonitor).toEqual({ enabled: true, additionalLabels: { release: "kube-prometheus-stack" } });
  });
});

describeWithTool("promtool", "the Argo Rollouts panels' queries on the controller's metrics as Prometheus stores them", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const ns = "agent-hive-production";
  // What the argo-rollouts ServiceMonitor (no honorLabels) makes of the controller's series: the target's
  // namespace in `namespace`, the Rollout's in `exported_namespace`.
  const scraped = (metric: string, labels: Record<string, string>) =>
    `${metric}${selector({ ...labels, namespace: "argo-rollouts", job: "argo-rollouts-metrics", service: "argo-rollouts-metrics", pod: "argo-rollouts-7b9c5d-abcde" })}`;
  const rollout = (exportedNamespace: string, name: string, desired: number, updated: number) => [
    { series: scraped(ROLLOUTS_METRICS.replicasDesired, { exported_namespace: exportedNamespace, name }), values: `${desired}x10` },
    { series: scraped(ROLLOUTS_METRICS.replicasUpdated, { exported_namespace: exportedNamespace, name }), values: `${updated}x10` },
  ];
  const analysis = (exportedNamespace: string, name: string, metric: string, phase: string) => ({
    series: scraped(ROLLOUTS_METRICS.analysisRunMetricPhase, { exported_namespace: exportedNamespace, name, metric, phase, type: "Prometheus" }),
    values: "1x10",
  });

  it("show this environment's canary progress and analysis runs, and nothing of another environment's", () => {
    const tests = {
      rule_files: ["empty.yml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [
            ...rollout(ns, "agent-hive-orchestrator", 10, 5),
            ...rollout("agent-hive-staging", "agent-hive-orchestrator", 2, 1),
            analysis(ns, "agent-hive-orchestrator-7d4f9-2", "error-rate", "Successful"),
            analysis("agent-hive-staging", "agent-hive-orchestrator-5c8b1-1", "error-rate", "Failed"),
          ],
          promql_expr_test: [
            { expr: canaryProgressExpr(ns), eval_time: "5m", exp_samples: [{ labels: '{name="agent-hive-orchestrator"}', value: 0.5 }] },
            {
              expr: analysisRunPhasesExpr(ns),
              eval_time: "5m",
              exp_samples: [{ labels: '{name="agent-hive-orchestrator-7d4f9-2",metric="error-rate",phase="Successful"}', value: 1 }],
            },
          ],
        },
      ],
    };
    const dir = writeFiles({ "empty.yml": "groups: []\n", "panels.test.yml": tests });
    dirs.push(dir);
    const result = run("promtool", ["test", "rules", "panels.test.yml"], dir);
    expect(result.ok, result.output).toBe(true);
  });

  it("the check can fail: selecting `namespace` finds nothing in the same series", () => {
    const wrong = canaryProgressExpr(ns).split("exported_namespace=").join("namespace=");
    const tests = {
      rule_files: ["empty.yml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: rollout(ns, "agent-hive-orchestrator", 10, 5),
          promql_expr_test: [{ expr: wrong, eval_time: "5m", exp_samples: [{ labels: '{name="agent-hive-orchestrator"}', value: 0.5 }] }],
        },
      ],
    };
    const dir = writeFiles({ "empty.yml": "groups: []\n", "panels.test.yml": tests });
    dirs.push(dir);
    expect(run("promtool", ["test", "rules", "panels.test.yml"], dir).ok).toBe(false);
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
      // Every panel reads the picked Prometheus, but the logs panel, which reads the Loki datasource by its catalogue uid.
      for (const p of panels(json)) expect(p.datasource).toEqual(p.type === "logs" ? { type: "loki", uid: LOKI_DATASOURCE.uid } : { type: "prometheus", uid: "${datasource}" });
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
