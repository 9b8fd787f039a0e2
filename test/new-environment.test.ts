import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { qualityGates } from "../policies/pack";
import { crossStackProblems } from "../stacks/config/cross-stack";
import { RawStackConfig, parseStackConfig } from "../stacks/config/parse";
import { evaluatePolicies } from "../stacks/offline/policy";
import { planStack } from "../stacks/offline/run";
import { listStacks, readStackFile } from "../stacks/offline/stack-file";
import { DEFAULT_STACKS, ROOT, cfg, loadStackDoc, qaBesideStaging, qaCopy, rawFromDoc, tempProject } from "./support/stacks";

/*
 * A new environment is one file: `Pulumi.qa.yaml`, copied from staging with
 * its own names. With no other file added it is listed, parses, plans, passes
 * the whole pack at its strict defaults (there is no policies/config/qa.json)
 * and agrees with the other stacks.
 */
describe("a new environment from one stack file", () => {
  const qa = qaBesideStaging();
  const docs = Object.fromEntries([...DEFAULT_STACKS.map((s) => [s, loadStackDoc(s)] as const), ["qa", qa] as const]);
  const dir = tempProject(docs);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is listed with the others", () => {
    expect(listStacks(dir)).toEqual([...DEFAULT_STACKS, "qa"].sort());
  });

  it("plans and passes every gate at the pack's strict defaults", async () => {
    const plan = await planStack(readStackFile(dir, "qa"));
    expect(plan.resources.some((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Rollout")).toBe(true);
    const report = await evaluatePolicies("qa", plan.resources, qualityGates(), {});
    expect(report.violations.map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
  });

  it("agrees with the committed stacks", () => {
    const configs = listStacks(dir).map((s) => parseStackConfig(readStackFile(dir, s)));
    expect(crossStackProblems(configs)).toEqual([]);
  });

  it("is checked against them: a copy still protecting develop and installing the add-ons conflicts with staging", () => {
    const configs = [...DEFAULT_STACKS.map((s) => parseStackConfig(readStackFile(ROOT, s))), parseStackConfig(rawFromDoc("qa", qaCopy()))];
    const problems = crossStackProblems(configs);
    // qa sorts before staging, so staging's keys are the ones reported, naming qa.
    expect(problems.map((p) => `${p.stack} ${p.key}`)).toEqual([
      "staging agent-hive-platform:github.protectDeployBranch",
      "staging agent-hive-platform:addons.argoRollouts.install",
      "staging agent-hive-platform:addons.kubePrometheusStack.install",
      "staging agent-hive-platform:addons.pushgateway.install",
      "staging agent-hive-platform:addons.loki.install",
      "staging agent-hive-platform:addons.logShipper.install",
      "staging agent-hive-platform:addons.certManager.install",
    ]);
    for (const p of problems) expect(p.problem).toMatch(/^stack qa (protects develop|installs it in the same cluster)/);
  });
});

describe("a stack that does not manage GitHub (github.manage: false)", () => {
  it("plans without a GitHub provider or any GitHub resource, and needs no repository secret", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "github").manage = false;
    const dir = tempProject({ production: doc });
    try {
      const raw = readStackFile(dir, "production");
      const withoutRepositorySecrets = (r: RawStackConfig): RawStackConfig => ({
        ...r,
        values: Object.fromEntries(Object.entries(r.values).filter(([k]) => !/(slackWebhookDeployments|snykToken|codecovToken)$/.test(k))),
      });
      // Without GitHub nothing asks for the repository secrets; the committed file, managing GitHub, needs all three.
      expect(parseStackConfig(withoutRepositorySecrets(raw)).github.manage).toBe(false);
      expect(() => parseStackConfig(withoutRepositorySecrets(readStackFile(ROOT, "production")))).toThrow(
        /slackWebhookDeployments = \(not set\): is required[\s\S]*snykToken = \(not set\): is required[\s\S]*codecovToken = \(not set\): is required/,
      );
      const plan = await planStack(raw);
      expect(plan.resources.filter((r) => r.type.startsWith("github:") || r.type === "pulumi:providers:github")).toEqual([]);
      expect(plan.resources.some((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Rollout")).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
