import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseStackConfig } from "../../stacks/config/parse";
import { evaluatePolicies } from "../../stacks/offline/policy";
import { readTemplate } from "../../stacks/review/stack-file";
import { qualityGates } from "../../policies/pack";
import { runCliInProcess } from "../support/cli";
import { ROOT, StackDoc, cfg, planDoc, rawFromDoc } from "../support/stacks";

const doc = (pr: number) => parse(readTemplate().stackFile(pr)) as StackDoc;
const SECRETS = { slackWebhookAlerts: "https://hooks.slack.com/services/T0/B0/review" };

describe("a review stack from the template", () => {
  it("is its own environment in its own namespace, unprotected, with no GitHub and no add-ons", () => {
    const c = parseStackConfig(rawFromDoc("review-7", doc(7)));
    expect(c.environment).toBe("review-7");
    expect(c.namespace.name).toBe("agent-hive-review-7");
    expect(c.namespace.protect).toBe(false);
    expect(c.github.manage).toBe(false);
    // The log add-ons and cert-manager are not in the template at all: off by default.
    expect(Object.values(c.addons).map((a) => a.install)).toEqual([false, false, false, false, false, false]);
  });

  it("plans and passes every gate at the pack's strict defaults", async () => {
    const plan = await planDoc("review-7", doc(7), SECRETS);
    const report = await evaluatePolicies("review-7", plan.resources, qualityGates(), {});
    expect(report.violations.map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
    const namespaces = plan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => (r.inputs as { metadata: { name: string } }).metadata.name);
    expect(namespaces).toEqual(["agent-hive-review-7"]);
  });

  it("fails the policy when it names the production namespace", async () => {
    const d = doc(7);
    cfg(d, "namespace").name = "agent-hive-production";
    const report = await evaluatePolicies("review-7", (await planDoc("review-7", d, SECRETS)).resources, qualityGates(), {});
    const mine = report.violations.filter((v) => v.policy === "review-stacks-must-stay-in-their-namespace");
    expect(mine.map((v) => v.enforcementLevel)).toContain("mandatory");
    expect(mine.map((v) => v.message)).toContain("review stack review-7: creates Namespace agent-hive-production, not its own agent-hive-review-7");
  });

  it("fails the policy when it is protected", async () => {
    const d = doc(7);
    cfg(d, "namespace").protect = true;
    const report = await evaluatePolicies("review-7", (await planDoc("review-7", d, SECRETS)).resources, qualityGates(), {});
    expect(report.violations.map((v) => v.message)).toContain("review stack review-7: Namespace agent-hive-review-7 is protected; a review stack must be destroyable when its pull request closes");
  });

  it("reads its TTL from the template, and refuses a template that would let review stacks share a namespace", () => {
    expect(readTemplate().ttlHours).toBe(72);
    const text = fs.readFileSync(`${__dirname}/../../stacks/review/template.yaml`, "utf8");
    expect(() => readTemplate(text.replace("name: agent-hive-review-{{pr}}", "name: agent-hive-review"))).toThrow(/namespace.name must name the pull request/);
    expect(() => readTemplate(text.replace("ttlHours: 72", "ttlHours: 0"))).toThrow(/review.ttlHours must be a whole number of hours \(at least 1\), not 0/);
    expect(() => readTemplate().stackFile(0)).toThrow("--pr must be a pull request number, not 0");
  });
});

describe("npm run plan -- --stack review-<n> with the template and no other file", () => {
  it("plans the review environment from stacks/review/template.yaml, and npm run policy passes it at the strict defaults", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "review-plan-"));
    try {
      expect(fs.existsSync(path.join(ROOT, "Pulumi.review-123.yaml"))).toBe(false);
      const plan = await runCliInProcess("stacks/offline/plan-cli.ts", ["--stack", "review-123", "--out", out], ROOT);
      expect(plan.stderr).toBe("");
      expect(plan.status).toBe(0);
      const doc = JSON.parse(fs.readFileSync(path.join(out, "review-123", "plan.json"), "utf8")) as { stack: string; resources: { type: string; inputs: { metadata?: { name?: string } } }[] };
      expect(doc.stack).toBe("review-123");
      expect(doc.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata?.name)).toEqual(["agent-hive-review-123"]);
      const policy = await runCliInProcess("stacks/offline/policy-cli.ts", ["--stack", "review-123", "--out", out], ROOT);
      expect(policy.stdout).toMatch(/stack review-123: \d+ policies, \d+ evaluations, 0 violations/);
      expect(policy.status).toBe(0);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("is only for review stacks: another stack without a file is still refused", async () => {
    // An --out of its own: a checkout under the temp directory would refuse the temp directory itself.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "review-plan-"));
    try {
      const r = await runCliInProcess("stacks/offline/plan-cli.ts", ["--stack", "review-x", "--out", out], ROOT);
      expect(r.stderr).toMatch(/no stack file .*Pulumi\.review-x\.yaml/);
      expect(r.status).toBe(1);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
