import { describe, expect, it } from "vitest";
import { POD_HASH_METRIC_LABEL, POD_HASH_POD_LABEL } from "../../infra/catalogue/metrics";
import { cfg, loadStackDoc, planCommitted, planDoc, resourcesOfType } from "../support/stacks";

type Json = Record<string, unknown>;
const spec = (r: { inputs: unknown }) => (r.inputs as { spec: Json }).spec;

describe("delivery in the plans", () => {
  it("production runs the guide's canary: 10 replicas, 10/25/50/75 % each followed by a 300 s pause", async () => {
    const plan = await planCommitted("production");
    const [rollout] = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:Rollout");
    expect((rollout.inputs as { metadata: Json }).metadata).toMatchObject({ name: "agent-hive-orchestrator", namespace: "agent-hive-production" });
    expect(spec(rollout).replicas).toBe(10);
    const canary = (spec(rollout).strategy as { canary: { steps: Json[]; stableService: string; analysis: { templates: { templateName: string }[] } } }).canary;
    expect(canary.steps).toEqual([10, 25, 50, 75].flatMap((w) => [{ setWeight: w }, { pause: { duration: 300 } }]));
    expect(canary.stableService).toBe("agent-hive-orchestrator-stable");
    const services = resourcesOfType(plan, "kubernetes:core/v1:Service").map((s) => (s.inputs as { metadata: { name: string } }).metadata.name).sort();
    expect(services).toEqual(["agent-hive-orchestrator-canary", "agent-hive-orchestrator-stable", "agent-hive-service"]);
    const [template] = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate");
    expect(canary.analysis.templates[0].templateName).toBe((template.inputs as { metadata: { name: string } }).metadata.name);
  });

  it("staging follows its own smaller, faster config", async () => {
    const [rollout] = resourcesOfType(await planCommitted("staging"), "kubernetes:argoproj.io/v1alpha1:Rollout");
    expect(spec(rollout).replicas).toBe(2);
    expect((spec(rollout).strategy as { canary: { steps: Json[] } }).canary.steps).toEqual([{ setWeight: 50 }, { pause: { duration: 60 } }]);
  });

  it("makes every Rollout and AnalysisTemplate wait for the Helm release that installs their CRDs", async () => {
    const plan = await planCommitted("production");
    const [release] = resourcesOfType(plan, "kubernetes:helm.sh/v3:Release");
    expect(release.inputs).toMatchObject({ chart: "argo-rollouts" });
    for (const r of plan.resources.filter((x) => x.type.startsWith("kubernetes:argoproj.io/"))) expect(r.options.dependsOn, r.urn).toContain(release.urn);
  });

  it("without the add-on, custom resources depend on nothing the stack does not own", async () => {
    const doc = loadStackDoc("staging");
    (cfg(doc, "addons").argoRollouts as Json).install = false;
    const plan = await planDoc("staging", doc);
    expect(resourcesOfType(plan, "kubernetes:helm.sh/v3:Release").map((r) => (r.inputs as { chart: string }).chart)).not.toContain("argo-rollouts");
    const releases = new Set(resourcesOfType(plan, "kubernetes:helm.sh/v3:Release").map((r) => r.urn));
    const rollouts = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:Rollout");
    expect(rollouts).toHaveLength(1);
    expect(rollouts[0].options.dependsOn.filter((u) => releases.has(u))).toEqual([]);
  });

  it("switches to blue-green by config alone, with active and preview services and pre- and post-promotion analysis", async () => {
    const doc = loadStackDoc("production");
    const delivery = cfg(doc, "delivery");
    delivery.strategy = "blueGreen";
    delivery.blueGreen = { autoPromotionEnabled: false, scaleDownDelaySeconds: 60 };
    (delivery.analysis as Json).count = 5;
    const plan = await planDoc("production", doc);
    const [rollout] = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:Rollout");
    const bg = (spec(rollout).strategy as { blueGreen: Json }).blueGreen;
    expect(bg).toMatchObject({ activeService: "agent-hive-service", previewService: "agent-hive-orchestrator-preview", autoPromotionEnabled: false, scaleDownDelaySeconds: 60 });
    const [template] = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate");
    // Both analyses run the stack's AnalysisTemplate, handing each argument it declares the new pods' hash.
    const analysis = {
      templates: [{ templateName: (template.inputs as { metadata: { name: string } }).metadata.name }],
      args: (spec(template).args as { name: string }[]).map(({ name }) => ({ name, valueFrom: { podTemplateHashValue: "Latest" } })),
      analysisRunMetadata: {},
    };
    expect(bg.prePromotionAnalysis).toEqual(analysis);
    expect(bg.postPromotionAnalysis).toEqual(analysis);
    const services = resourcesOfType(plan, "kubernetes:core/v1:Service").map((s) => (s.inputs as { metadata: { name: string } }).metadata.name).sort();
    expect(services).toEqual(["agent-hive-orchestrator-preview", "agent-hive-service"]);
  });

  it("leaves the image to the pipeline when it owns it", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "delivery").imageOwner = "pipeline";
    const [rollout] = resourcesOfType(await planDoc("production", doc), "kubernetes:argoproj.io/v1alpha1:Rollout");
    expect(rollout.options.ignoreChanges).toEqual(["spec.template.spec.containers[0].image"]);
    const [owned] = resourcesOfType(await planCommitted("production"), "kubernetes:argoproj.io/v1alpha1:Rollout");
    expect(owned.options.ignoreChanges).toEqual([]);
  });

  it("pins the image from config and never to latest", async () => {
    const [rollout] = resourcesOfType(await planCommitted("production"), "kubernetes:argoproj.io/v1alpha1:Rollout");
    const containers = (spec(rollout).template as { spec: { containers: { image: string }[] } }).spec.containers;
    expect(containers.map((c) => c.image)).toEqual(["ghcr.io/leanvibe/agent-hive:1.0.0"]);
  });

  it("changing the SLO in config changes the canary analysis", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "slo").errorRatePerSecond = 0.05;
    const [template] = resourcesOfType(await planDoc("production", doc), "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate");
    expect(JSON.stringify(spec(template))).toContain("result[0] <= 0.05");
  });
});

describe("the contract between delivery and monitoring, in the plan", () => {
  it("scrapes exactly the Rollout's pods, carrying the pod-template hash the analysis filters on", async () => {
    const plan = await planCommitted("production");
    const [rollout] = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:Rollout");
    const podLabels = (spec(rollout).selector as { matchLabels: Json }).matchLabels;
    const monitors = resourcesOfType(plan, "kubernetes:monitoring.coreos.com/v1:PodMonitor").map((m) => spec(m));
    const mine = monitors.filter((m) => JSON.stringify((m.selector as { matchLabels: Json }).matchLabels) === JSON.stringify(podLabels));
    expect(mine).toHaveLength(1);
    expect(mine[0].podTargetLabels).toContain(POD_HASH_POD_LABEL);
    const [template] = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate");
    for (const m of (spec(template).metrics as { provider: { prometheus: { query: string } } }[])) {
      expect(m.provider.prometheus.query).toContain(`${POD_HASH_METRIC_LABEL}="{{args.canary-hash}}"`);
    }
  });

  it("gives the pods the generated API key, and starts them only after it exists", async () => {
    const plan = await planCommitted("production");
    const [rollout] = resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:Rollout");
    const container = (spec(rollout).template as { spec: { containers: { env: Json[] }[] } }).spec.containers[0];
    expect(container.env).toContainEqual({ name: "AGENT_HIVE_API_KEY", valueFrom: { secretKeyRef: { name: "agent-hive-api-key", key: "api-key" } } });
    const [keySecret] = resourcesOfType(plan, "kubernetes:core/v1:Secret").filter((s) => (s.inputs as { metadata: { name: string } }).metadata.name === "agent-hive-api-key");
    expect(rollout.options.dependsOn).toContain(keySecret.urn);
  });
});
