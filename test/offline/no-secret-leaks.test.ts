import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { qualityGates } from "../../policies/pack";
import { SECRET_KEYS } from "../../stacks/config/secrets";
import { evaluatePolicies, formatPolicyReport } from "../../stacks/offline/policy";
import { summarize } from "../../stacks/offline/summary";
import { writePlan } from "../../stacks/offline/write";
import { DEFAULT_STACKS, loadStackDoc, planDoc, resourcesOfType } from "../support/stacks";

// One recognisable value per secret key: if any reaches a file or a line, the test names it.
const SENTINELS = Object.fromEntries(SECRET_KEYS.map((s) => [s.key, `SENTINEL-${s.key.toUpperCase()}-5e1f0c`]));

const out = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-leaks-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe.each(DEFAULT_STACKS)("%s with real secret values", (stack) => {
  it("writes and prints them nowhere, and shows every secret resource's value as [secret]", async () => {
    const plan = await planDoc(stack, loadStackDoc(stack), SENTINELS);
    const written = writePlan(plan, out);
    const report = await evaluatePolicies(stack, plan.resources, qualityGates(), {});
    fs.writeFileSync(path.join(written.dir, "policy-report.json"), JSON.stringify(report));
    const printed = [summarize(plan, written.manifests, written.dir), formatPolicyReport(report), ...plan.warnings].join("\n");

    const files = fs.readdirSync(written.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(5);
    const texts = [printed, ...files.map((f) => fs.readFileSync(path.join(f.parentPath, f.name), "utf8"))];
    for (const [key, value] of Object.entries(SENTINELS)) {
      for (const text of texts) expect(text.includes(value), `${key} leaked`).toBe(false);
    }

    const secretResources = [
      ...resourcesOfType(plan, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret"),
      ...resourcesOfType(plan, "github:index/actionsSecret:ActionsSecret"),
    ];
    expect(secretResources.length).toBeGreaterThanOrEqual(2);
    for (const r of secretResources) expect((r.inputs as { value: unknown }).value, r.urn).toBe("[secret]");
    expect(resourcesOfType(plan, "pulumi:providers:kubernetes")[0].inputs).toMatchObject({ kubeconfig: "[secret]" });
  });
});
