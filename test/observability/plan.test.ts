import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ruleTests } from "./rule-tests";
import { parseStackConfig } from "../../stacks/config/parse";
import { planManifests } from "../../stacks/offline/manifests";
import { Plan } from "../../stacks/offline/run";
import { planDashboards, planRuleFiles } from "../../stacks/offline/write";
import { observabilitySpec } from "../../stacks/specs";
import { DEFAULT_STACKS, cfg, committedConfig, loadStackDoc, planDoc, rawFromDoc, resourcesOfType } from "../support/stacks";
import { describeWithTool, removeDir, run, writeFiles } from "./tools";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** The rule files `npm run plan` writes for a stack, and the promtool tests generated from the same config. */
async function ruleFixtures(stack: string) {
  const doc = loadStackDoc(stack);
  const plan = await planDoc(stack, doc);
  const rules = planRuleFiles(planManifests(plan.resources));
  const config = parseStackConfig(rawFromDoc(stack, doc));
  const tests = ruleTests(observabilitySpec(config), rules.map((r) => r.file));
  const dir = writeFiles({ ...Object.fromEntries(rules.map((r) => [r.file, r.text])), "alerts.test.yml": tests.alerts, "recordings.test.yml": tests.recordings });
  dirs.push(dir);
  return { dir, rules };
}

describeWithTool("promtool", "the plans' own rule files under promtool", () => {
  it.each(DEFAULT_STACKS)("%s: check rules passes", async (stack) => {
    const { dir, rules } = await ruleFixtures(stack);
    expect(rules.map((r) => r.file)).toEqual(["agent-hive.rules.yml"]);
    const r = run("promtool", ["check", "rules", ...rules.map((f) => f.file)], dir);
    expect(r.output).toContain("SUCCESS");
    expect(r.ok).toBe(true);
  });

  it.each(DEFAULT_STACKS)("%s: every alert fires when it should and stays silent when it should not", async (stack) => {
    const { dir } = await ruleFixtures(stack);
    for (const file of ["alerts.test.yml", "recordings.test.yml"]) {
      const r = run("promtool", ["test", "rules", file], dir);
      expect(r.output, r.output).toContain("SUCCESS");
      expect(r.ok).toBe(true);
    }
  });

  it("fails when a rule file's threshold drifts from the config the tests come from", async () => {
    const { dir, rules } = await ruleFixtures("production");
    const file = path.join(dir, rules[0].file);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("> 0.1", "> 0.5"));
    expect(run("promtool", ["test", "rules", "alerts.test.yml"], dir).ok).toBe(false);
  });
});

describe("dashboards in the plans", () => {
  it.each(DEFAULT_STACKS)("%s: both dashboards are importable JSON with stable uids and the DORA panels", async (stack) => {
    const plan = await planDoc(stack, loadStackDoc(stack));
    const boards = planDashboards(planManifests(plan.resources)).map((d) => JSON.parse(d.text) as { uid: string; title: string; panels: { title: string }[] });
    expect(boards.map((b) => b.uid).sort()).toEqual([`agent-hive-cicd-${stack}`, `agent-hive-service-${stack}`]);
    const cicd = boards.find((b) => b.uid.startsWith("agent-hive-cicd"));
    expect(cicd?.title).toMatch(/^Agent Hive CI\/CD Dashboard/);
    expect(cicd?.panels.map((p) => p.title)).toEqual(expect.arrayContaining(["Deployment Frequency", "Lead Time", "Change Failure Rate", "Time to Restore"]));
  });
});

describe("PodMonitors in the plans", () => {
  type Selected = { metadata: { name: string; namespace: string }; spec: { selector: { matchLabels: Record<string, string> }; template?: { metadata: { labels: Record<string, string> } } } };

  it.each(DEFAULT_STACKS)("%s: every Rollout's pods are selected by a PodMonitor with exactly the Rollout's own selector", async (stack) => {
    const plan = await planDoc(stack, loadStackDoc(stack));
    const rollouts = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:Rollout").map((r) => r.inputs as Selected);
    const monitors = resourcesOfType(plan, "kubernetes:monitoring.coreos.com/v1:PodMonitor").map((r) => r.inputs as Selected);
    // One Rollout per service of the stack file, and one PodMonitor for each.
    expect(rollouts).toHaveLength(committedConfig(stack).services.length);
    expect(monitors).toHaveLength(rollouts.length);
    for (const rollout of rollouts) {
      const monitor = monitors.find((m) => m.metadata.namespace === rollout.metadata.namespace && m.metadata.name === rollout.metadata.name);
      expect(monitor?.spec.selector.matchLabels, rollout.metadata.name).toEqual(rollout.spec.selector.matchLabels);
      expect(rollout.spec.template?.metadata.labels).toMatchObject(monitor?.spec.selector.matchLabels ?? { missing: "monitor" });
    }
  });
});

describe("one SLO threshold in config", () => {
  const pick = (plan: Plan) => {
    const rule = JSON.stringify(resourcesOfType(plan, "kubernetes:monitoring.coreos.com/v1:PrometheusRule")[0].inputs);
    const analysis = JSON.stringify(resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate")[0].inputs);
    const service = planDashboards(planManifests(plan.resources)).find((d) => d.file.startsWith("agent-hive-service"))?.text ?? "";
    return { rule, analysis, service };
  };

  it("moves the alert, the canary analysis and the dashboard threshold together", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "slo").latencyP95Seconds = 0.75;
    const after = pick(await planDoc("production", doc));
    const before = pick(await planDoc("production", loadStackDoc("production")));
    expect(before.rule).not.toContain("> 0.75");
    expect(after.rule).toContain("> 0.75");
    expect(after.analysis).toContain("result[0] <= 0.75");
    expect(before.analysis).not.toContain("result[0] <= 0.75");
    const thresholdSteps = (json: string) => JSON.stringify(JSON.parse(json).panels.filter((p: { title: string }) => p.title.startsWith("p95 latency")).map((p: { fieldConfig: unknown }) => p.fieldConfig));
    expect(thresholdSteps(after.service)).toContain("0.75");
    expect(thresholdSteps(before.service)).not.toContain("0.75");
  });
});

describe("Grafana's admin login", () => {
  it("is a generated secret, never the chart's default password", async () => {
    const plan = await planDoc("production", loadStackDoc("production"));
    const [release] = resourcesOfType(plan, "kubernetes:helm.sh/v3:Release").filter((r) => (r.inputs as { chart: string }).chart === "kube-prometheus-stack");
    const admin = ((release.inputs as { values: { grafana: { admin: Record<string, string> } } }).values.grafana.admin);
    expect(admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    const [secret] = resourcesOfType(plan, "kubernetes:core/v1:Secret").filter((s) => (s.inputs as { metadata: { name: string } }).metadata.name === "grafana-admin");
    expect((secret.inputs as { stringData: unknown }).stringData).toBe("[secret]");
    expect(release.options.dependsOn).toContain(secret.urn);
    expect(resourcesOfType(plan, "random:index/randomPassword:RandomPassword").map((r) => r.name)).toContain("kube-prometheus-stack-grafana-admin");
  });
});
