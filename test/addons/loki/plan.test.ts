import { describe, expect, it } from "vitest";
import { LOKI_DATASOURCE } from "../../../infra/catalogue/logs";
import { CHARTS } from "../../../infra/catalogue/versions";
import { dashboardLogQueriesMustParse } from "../../../policies/monitoring/dashboard-log-queries-must-parse";
import { planManifests } from "../../../stacks/offline/manifests";
import { Plan } from "../../../stacks/offline/run";
import { planDashboards } from "../../../stacks/offline/write";
import { violationsOf } from "../../policies/fixtures";
import { cfg, loadStackDoc, planCommitted, planDoc, resourcesOfType } from "../../support/stacks";

type Inputs = { name: string; chart: string; version: string; namespace: string; values: Record<string, Record<string, unknown>> };
type Meta = { metadata: { name: string; namespace: string; labels?: Record<string, string> }; data?: Record<string, string> };

const releases = (plan: Plan) => resourcesOfType(plan, "kubernetes:helm.sh/v3:Release");
const release = (plan: Plan, chart: string) => releases(plan).find((r) => (r.inputs as Inputs).chart === chart);
const servicePanels = (plan: Plan) => {
  const board = planDashboards(planManifests(plan.resources)).find((d) => d.text.includes('"uid": "agent-hive-service-'));
  return (JSON.parse(board?.text ?? "{}") as { panels?: { type: string; title: string; targets?: { expr: string }[] }[] }).panels ?? [];
};

describe("the production plan's log aggregation", () => {
  it("installs Loki, pinned, with production's retention and volume", async () => {
    const plan = await planCommitted("production");
    const loki = release(plan, "loki");
    expect(loki?.inputs).toMatchObject({ name: "loki", namespace: "loki", version: CHARTS.loki.version, repositoryOpts: { repo: CHARTS.loki.repo } });
    const values = (loki?.inputs as Inputs).values;
    expect(values.loki).toMatchObject({ limits_config: { retention_period: "744h" } });
    expect(values.singleBinary).toEqual({ replicas: 1, persistence: { enabled: true, size: "50Gi", enableStatefulSetAutoDeletePVC: false } });
  });

  it("installs the shipper, pinned, reading production's namespace and pushing to Loki", async () => {
    const plan = await planCommitted("production");
    const alloy = release(plan, "alloy");
    expect(alloy?.inputs).toMatchObject({ name: "alloy", namespace: "alloy", version: CHARTS.alloy.version, values: { controller: { type: "daemonset" } } });
    const content = ((alloy?.inputs as Inputs).values.alloy as { configMap: { content: string } }).configMap.content;
    expect(content).toContain('names = ["agent-hive-production"]');
    expect(content).toContain("http://loki.loki.svc:3100/loki/api/v1/push");
    expect(alloy?.options.dependsOn).toContain(release(plan, "loki")?.urn);
  });

  it("gives Grafana the Loki datasource in its own namespace, and guards Loki before it starts", async () => {
    const plan = await planCommitted("production");
    const configMaps = resourcesOfType(plan, "kubernetes:core/v1:ConfigMap");
    const datasource = configMaps.find((c) => (c.inputs as Meta).metadata.name === "loki-datasource");
    expect((datasource?.inputs as Meta).metadata).toMatchObject({ namespace: "monitoring", labels: { grafana_datasource: "1" } });
    expect((datasource?.inputs as Meta).data?.["loki-datasource.yaml"]).toContain(`"uid": "${LOKI_DATASOURCE.uid}"`);
    const policies = resourcesOfType(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => (p.inputs as Meta).metadata.namespace === "loki");
    expect(policies.map((p) => (p.inputs as Meta).metadata.name).sort()).toEqual(["allow-grafana", "allow-log-shipper", "allow-loki-ring", "default-deny-ingress"]);
    for (const p of policies) expect(release(plan, "loki")?.options.dependsOn).toContain(p.urn);
  });

  it("shows the logs panel on the service dashboard, in LogQL the policy accepts", async () => {
    const plan = await planCommitted("production");
    const logs = servicePanels(plan).filter((p) => p.type === "logs");
    expect(logs.map((p) => p.title)).toEqual(["Logs by revision"]);
    expect(logs[0].targets?.map((t) => t.expr)).toEqual(['{namespace="agent-hive-production", revision=~"$revision"}']);
    expect(await violationsOf(dashboardLogQueriesMustParse, plan.resources)).toEqual([]);
  });
});

describe("a stack without the log add-ons", () => {
  it("has no Loki, shipper, datasource or logs panel", async () => {
    const doc = loadStackDoc("staging");
    const addons = cfg(doc, "addons");
    delete addons.loki;
    delete addons.logShipper;
    const plan = await planDoc("staging", doc);
    expect(releases(plan).map((r) => (r.inputs as Inputs).chart).sort()).toEqual(["argo-rollouts", "cert-manager", "kube-prometheus-stack", "prometheus-pushgateway"]);
    expect(resourcesOfType(plan, "kubernetes:core/v1:ConfigMap").map((c) => (c.inputs as Meta).metadata.name)).not.toContain("loki-datasource");
    expect(servicePanels(plan).map((p) => p.type)).not.toContain("logs");
    expect(servicePanels(plan).length).toBeGreaterThan(0);
  });
});
