import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { qualityGates } from "../policies/pack";
import { checkStacksTogether } from "../stacks/config/cross-stack";
import { parseStackConfig } from "../stacks/config/parse";
import { evaluatePolicies } from "../stacks/offline/policy";
import { planStack } from "../stacks/offline/run";
import { listStacks, readStackFile } from "../stacks/offline/stack-file";
import { DEFAULT_STACKS, cfg, loadStackDoc, tempProject } from "./support/stacks";

/*
 * A new environment is one file: `Pulumi.qa.yaml`, copied from staging with
 * its own names. With no other file added it is listed, parses, plans, passes
 * the whole pack at its strict defaults (there is no policies/config/qa.json)
 * and agrees with the other stacks.
 */
describe("a new environment from one stack file", () => {
  const qa = loadStackDoc("staging");
  qa.config["agent-hive-platform:environment"] = "qa";
  cfg(qa, "namespace").name = "agent-hive-qa";
  cfg(qa, "github").environment = "qa";
  // develop is staging's to protect; the add-ons are staging's cluster's.
  cfg(qa, "github").protectDeployBranch = false;
  for (const addon of Object.values(cfg(qa, "addons"))) (addon as Record<string, unknown>).install = false;
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
    expect(() => checkStacksTogether(configs)).not.toThrow();
  });
});

describe("a stack that does not manage GitHub (github.manage: false)", () => {
  it("plans without a GitHub provider or any GitHub resource, and needs no repository secret", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "github").manage = false;
    const dir = tempProject({ production: doc });
    try {
      const raw = readStackFile(dir, "production");
      // Without GitHub nothing asks for the repository secrets.
      const values = Object.fromEntries(Object.entries(raw.values).filter(([k]) => !/(slackWebhookDeployments|snykToken|codecovToken)$/.test(k)));
      expect(() => parseStackConfig({ ...raw, values })).not.toThrow();
      const plan = await planStack(raw);
      expect(plan.resources.filter((r) => r.type.startsWith("github:") || r.type === "pulumi:providers:github")).toEqual([]);
      expect(plan.resources.some((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Rollout")).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
