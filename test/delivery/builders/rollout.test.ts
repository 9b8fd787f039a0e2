import { describe, expect, it } from "vitest";
import { buildAnalysisTemplate } from "../../../infra/delivery/builders/analysis";
import { deliveryNames } from "../../../infra/delivery/builders/names";
import { buildRollout, canarySteps } from "../../../infra/delivery/builders/rollout";
import { buildServices } from "../../../infra/delivery/builders/services";
import { blueGreenSpec, productionSpec, stagingSpec } from "../fixtures";

describe("canary rollout", () => {
  it("runs the guide's production canary: 10/25/50/75 %, each followed by a 300 s pause, on 10 replicas", () => {
    const rollout = buildRollout(productionSpec());
    expect(rollout.spec.replicas).toBe(10);
    expect(rollout.spec.strategy?.canary?.steps).toEqual([
      { setWeight: 10 },
      { pause: { duration: 300 } },
      { setWeight: 25 },
      { pause: { duration: 300 } },
      { setWeight: 50 },
      { pause: { duration: 300 } },
      { setWeight: 75 },
      { pause: { duration: 300 } },
    ]);
  });

  it("follows staging's own steps and replicas", () => {
    const rollout = buildRollout(stagingSpec());
    expect(rollout.spec.replicas).toBe(2);
    expect(rollout.spec.strategy?.canary?.steps).toEqual([{ setWeight: 50 }, { pause: { duration: 60 } }]);
  });

  it("pauses until promoted when a step has no pause duration", () => {
    expect(canarySteps([{ setWeight: 20 }])).toEqual([{ setWeight: 20 }, { pause: {} }]);
  });

  it("uses the guide's names: Rollout agent-hive-orchestrator, container orchestrator", () => {
    const rollout = buildRollout(productionSpec());
    expect(rollout.metadata?.name).toBe("agent-hive-orchestrator");
    expect(rollout.metadata?.namespace).toBe("agent-hive-production");
    expect(rollout.spec.template?.spec?.containers.map((c) => c.name)).toEqual(["orchestrator"]);
    expect(rollout.spec.strategy?.canary?.stableService).toBe("agent-hive-orchestrator-stable");
    expect(rollout.spec.strategy?.canary?.canaryService).toBe("agent-hive-orchestrator-canary");
  });

  it("references Services and an AnalysisTemplate that the slice builds, by name", () => {
    const spec = productionSpec();
    const canary = buildRollout(spec).spec.strategy?.canary;
    const serviceNames = buildServices(spec).map(({ service }) => service.metadata?.name);
    expect(serviceNames).toEqual(expect.arrayContaining([canary?.stableService, canary?.canaryService]));
    expect(canary?.analysis?.templates).toEqual([{ templateName: buildAnalysisTemplate(spec).metadata?.name }]);
  });

  it("analyses the new version in the background from the first step, passing its pod-template hash", () => {
    const analysis = buildRollout(productionSpec()).spec.strategy?.canary?.analysis;
    expect(analysis?.startingStep).toBe(0);
    expect(analysis?.args).toEqual([{ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }]);
  });

  it("selects its pods by app and name only, and the pod template carries those labels", () => {
    const rollout = buildRollout(productionSpec({ labels: { team: "platform", app: "other" } }));
    const selector = { app: "agent-hive", "app.kubernetes.io/name": "agent-hive-orchestrator" };
    expect(rollout.spec.selector?.matchLabels).toEqual(selector);
    expect(rollout.spec.template?.metadata?.labels).toEqual(selector);
    expect(rollout.metadata?.labels).toMatchObject({ ...selector, team: "platform", environment: "production" });
  });

  it("is not awaited by pulumi up", () => {
    expect(buildRollout(productionSpec()).metadata?.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
  });
});

describe("blue-green rollout", () => {
  const spec = blueGreenSpec();
  const rollout = buildRollout(spec);
  const blueGreen = rollout.spec.strategy?.blueGreen;

  it("switches the stable Service as active and previews on its own Service, with no canary steps", () => {
    expect(rollout.spec.strategy?.canary).toBeUndefined();
    expect(blueGreen?.activeService).toBe("agent-hive-service");
    expect(blueGreen?.previewService).toBe("agent-hive-orchestrator-preview");
    expect(buildServices(spec).map(({ service }) => service.metadata?.name)).toEqual(["agent-hive-service", "agent-hive-orchestrator-preview"]);
  });

  it("gates promotion on the SLO analysis of the preview pods", () => {
    expect(blueGreen?.prePromotionAnalysis).toEqual({
      templates: [{ templateName: deliveryNames(spec.service).analysisTemplate }],
      args: [{ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }],
      analysisRunMetadata: {},
    });
  });

  it("takes promotion and scale-down from the spec", () => {
    expect(blueGreen).toMatchObject({ autoPromotionEnabled: false, scaleDownDelaySeconds: 30 });
    expect(blueGreen).not.toHaveProperty("autoPromotionSeconds");
    const auto = buildRollout(blueGreenSpec({ strategy: { kind: "blueGreen", autoPromotionEnabled: true, autoPromotionSeconds: 120, scaleDownDelaySeconds: 60, analysisCount: 5 } }));
    expect(auto.spec.strategy?.blueGreen).toMatchObject({ autoPromotionEnabled: true, autoPromotionSeconds: 120, scaleDownDelaySeconds: 60 });
  });
});

describe("services", () => {
  it("are ClusterIP on a port named http that targets the container's named port", () => {
    for (const { service } of buildServices(productionSpec())) {
      expect(service.spec?.type).toBe("ClusterIP");
      expect(service.spec?.ports).toEqual([{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }]);
      expect(service.spec?.selector).toEqual({ app: "agent-hive", "app.kubernetes.io/name": "agent-hive-orchestrator" });
    }
  });

  it("are the clients' Service over both versions, plus Argo's stable and canary Services, for a canary", () => {
    expect(buildServices(productionSpec()).map(({ role, service }) => [role, service.metadata?.name])).toEqual([
      ["client", "agent-hive-service"],
      ["stable", "agent-hive-orchestrator-stable"],
      ["canary", "agent-hive-orchestrator-canary"],
    ]);
    // Argo pins the Services it manages to one version; clients must not use one,
    // or the canary gets no traffic and its analysis nothing to judge.
    const canary = buildRollout(productionSpec()).spec.strategy?.canary;
    expect([canary?.stableService, canary?.canaryService]).not.toContain("agent-hive-service");
  });
});

describe("a strategy switch by config (found by e2e/canary)", () => {
  it("sends the empty analysisRunMetadata the Argo controller writes back, in every analysis reference, so the controller never co-owns a strategy pulumi up must be able to remove", () => {
    const canary = buildRollout(productionSpec()).spec.strategy?.canary;
    const blueGreen = buildRollout(blueGreenSpec()).spec.strategy?.blueGreen;
    for (const ref of [canary?.analysis, blueGreen?.prePromotionAnalysis, blueGreen?.postPromotionAnalysis]) {
      expect(ref).toHaveProperty("analysisRunMetadata", {});
    }
  });
});
