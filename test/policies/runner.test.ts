import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICY_FACTORIES } from "../../policies/pack";
import { PlanResource } from "../../stacks/offline/recorder";
import { writePlan } from "../../stacks/offline/write";
import { runCli } from "../support/cli";
import { DEFAULT_STACKS, ROOT, planCommitted } from "../support/stacks";
import { readPolicyConfig } from "../../stacks/offline/policy";

// The offline runner end to end: `npm run policy` over plans written by the
// plan, in a project laid out like this one (stack files and policy config).
const CLI = "stacks/offline/policy-cli.ts";
let dir: string;
let production: PlanResource[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-policy-"));
  fs.cpSync(path.join(ROOT, "policies", "config"), path.join(dir, "policies", "config"), { recursive: true });
  for (const stack of DEFAULT_STACKS) {
    fs.copyFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
    const plan = await planCommitted(stack);
    writePlan(plan, path.join(dir, "out"));
    if (stack === "production") production = plan.resources;
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a changed production plan and runs the CLI over it. */
function runOn(change: (resources: PlanResource[]) => PlanResource[]) {
  const file = path.join(dir, "out", "production", "plan.json");
  const original = fs.readFileSync(file, "utf8");
  try {
    const doc = JSON.parse(original) as { resources: PlanResource[] };
    fs.writeFileSync(file, JSON.stringify({ ...doc, resources: change(structuredClone(production)) }));
    return runCli(CLI, ["--stack", "production"], dir);
  } finally {
    fs.writeFileSync(file, original);
  }
}

type Json = Record<string, unknown>;
const ofType = (rs: PlanResource[], suffix: string) => rs.filter((r) => r.type.endsWith(suffix));
const inputs = (r: PlanResource) => r.inputs as Json;

describe("npm run policy", () => {
  it("passes both default stacks with no mandatory violation and writes the reports", () => {
    const r = runCli(CLI, [], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const stack of DEFAULT_STACKS) {
      const report = JSON.parse(fs.readFileSync(path.join(dir, "out", stack, "policy-report.json"), "utf8"));
      expect(report.mandatoryViolations).toBe(0);
      expect(report.policies).toBe(POLICY_FACTORIES.length);
    }
  });

  it.each([
    {
      mutation: "production image latest",
      policy: "images-must-be-pinned",
      change: (rs: PlanResource[]) => {
        const spec = inputs(ofType(rs, ":Rollout")[0]).spec as { template: { spec: { containers: { image: string }[] } } };
        spec.template.spec.containers[0].image = "ghcr.io/leanvibe/agent-hive:latest";
        return rs;
      },
    },
    {
      mutation: "namespace protection removed",
      policy: "production-namespaces-must-be-protected",
      change: (rs: PlanResource[]) => rs.map((r) => (r.type.endsWith(":Namespace") ? { ...r, options: { ...r.options, protect: false } } : r)),
    },
    {
      mutation: "a required check dropped",
      policy: "deploy-branches-must-enforce-quality-gates",
      change: (rs: PlanResource[]) => {
        const checks = (inputs(ofType(rs, ":BranchProtection")[0]).requiredStatusChecks as { contexts: string[] }[])[0];
        checks.contexts = checks.contexts.filter((c) => c !== "Security Analysis");
        return rs;
      },
    },
    {
      mutation: "reviewers removed",
      policy: "production-environment-must-require-review",
      change: (rs: PlanResource[]) => {
        inputs(ofType(rs, ":RepositoryEnvironment")[0]).reviewers = [];
        return rs;
      },
    },
    {
      mutation: "the production Ingress loses its TLS",
      policy: "ingresses-must-have-tls",
      change: (rs: PlanResource[]) => {
        const [ingress] = ofType(rs, ":Ingress");
        expect((inputs(ingress).spec as Json).tls).toEqual([{ hosts: ["api.agent-hive.com"], secretName: "agent-hive-production-tls" }]);
        delete (inputs(ingress).spec as Json).tls;
        return rs;
      },
    },
  ])("fails on $mutation, naming $policy", ({ change, policy }) => {
    const r = runOn(change);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`[mandatory] ${policy}`);
    expect(r.stderr).toMatch(/\d+ mandatory policy violations?\./);
  });

  it("explains a missing plan", () => {
    const r = runCli(CLI, ["--stack", "nope"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("run npm run plan -- --stack nope first");
  });
});

describe("policy config files", () => {
  const names = new Set(POLICY_FACTORIES.map((f) => f("advisory").policy.name));
  // A stack without a file of its own gets the pack's strict defaults (test/new-environment.test.ts).
  const withFile = DEFAULT_STACKS.filter((s) => fs.existsSync(path.join(ROOT, "policies", "config", `${s}.json`)));
  it("exist for staging and production", () => expect(withFile).toEqual(expect.arrayContaining(["production", "staging"])));
  it.each(withFile)("policies/config/%s.json names only real policies and valid levels", (stack) => {
    const config = readPolicyConfig(ROOT, stack);
    expect(Object.keys(config).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(config)) {
      if (key !== "all") expect(names.has(key), key).toBe(true);
      const level = typeof value === "string" ? value : (value as { enforcementLevel?: string }).enforcementLevel;
      if (level !== undefined) expect(["advisory", "mandatory", "remediate", "disabled"]).toContain(level);
    }
  });
});
