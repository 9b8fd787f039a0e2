import { describe, expect, it } from "vitest";
import { AnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import { Rollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { PodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import { Service } from "kubernetes-models/v1/Service";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { buildAnalysisTemplate } from "../../../infra/delivery/builders/analysis";
import { buildPodDisruptionBudget } from "../../../infra/delivery/builders/disruption";
import { buildPodTemplate } from "../../../infra/delivery/builders/pod-template";
import { buildRollout } from "../../../infra/delivery/builders/rollout";
import { buildServices } from "../../../infra/delivery/builders/services";
import { ALL_SPECS } from "../fixtures";

// Argo's CRD schema types the pod template loosely (volumes are `any`), so the
// pod template is also checked against the core PodTemplateSpec schema.
describe.each(ALL_SPECS)("every object of %s", (_, spec) => {
  it("passes the Argo Rollouts CRD schema", () => {
    expect(() => new Rollout(buildRollout(spec)).validate()).not.toThrow();
    expect(() => new AnalysisTemplate(buildAnalysisTemplate(spec)).validate()).not.toThrow();
  });

  it("passes the Kubernetes schema", () => {
    expect(() => new PodTemplateSpec(buildPodTemplate(spec)).validate()).not.toThrow();
    expect(() => new PodDisruptionBudget(buildPodDisruptionBudget(spec)).validate()).not.toThrow();
    for (const { service } of buildServices(spec)) {
      expect(() => new Service(service).validate(), service.metadata?.name).not.toThrow();
    }
  });
});

// Each test breaks one field of a valid model in place; Object.assign does
// what the types (rightly) refuse.
describe("the CRD schema check itself", () => {
  const [, spec] = ALL_SPECS[0];

  it("rejects a Rollout that breaks the schema", () => {
    const rollout = new Rollout(buildRollout(spec));
    Object.assign(rollout.spec, { replicas: "ten" });
    expect(() => rollout.validate()).toThrow(/replicas/);
  });

  it("rejects an AnalysisTemplate metric without a provider", () => {
    const template = new AnalysisTemplate(buildAnalysisTemplate(spec));
    Object.assign(template.spec, { metrics: [{ name: "error-rate" }] });
    expect(() => template.validate()).toThrow(/provider/);
  });
});
