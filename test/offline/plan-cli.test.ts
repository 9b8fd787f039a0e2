import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT } from "../../infra/catalogue/names";
import { runCli, runCliInProcess } from "../support/cli";
import { cfg, loadStackDoc, qaBesideStaging, tempProject } from "../support/stacks";

const CLI = "stacks/offline/plan-cli.ts";
const dirs: string[] = [];
const project = (...args: Parameters<typeof tempProject>) => {
  const dir = tempProject(...args);
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("npm run plan", () => {
  // Most cases call the command's main in this process (runCliInProcess); the failures and the
  // terminal's secrecy are also proved through a process of its own (runCli).
  it("refuses stacks that conflict with each other, even when only one is asked for, and writes nothing", async () => {
    const staging = loadStackDoc("staging");
    cfg(staging, "github").ownsRepositorySettings = true;
    const dir = project({ staging, production: loadStackDoc("production") });
    const r = await runCliInProcess(CLI, ["--stack", "staging"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stacks production, staging all own the repository settings of leanvibe\/agent-hive: exactly one may/);
    expect(filesUnder(path.join(dir, "out"))).toEqual([]);
  });

  it("writes plan.json and ordered manifests for every stack and summarises them", async () => {
    const dir = project({ staging: loadStackDoc("staging"), production: loadStackDoc("production") });
    const r = await runCliInProcess(CLI, [], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const stack of ["staging", "production"]) {
      const plan = JSON.parse(fs.readFileSync(path.join(dir, "out", stack, "plan.json"), "utf8"));
      expect(plan.stack).toBe(stack);
      for (const res of plan.resources) expect(Object.keys(res)).toEqual(expect.arrayContaining(["urn", "type", "name", "parent", "inputs", "options"]));
      const manifests = fs.readdirSync(path.join(dir, "out", stack, "manifests"));
      expect(manifests.some((m) => /^\d{3}-namespace-agent-hive-(staging|production)\.yaml$/.test(m))).toBe(true);
      expect(fs.readdirSync(path.join(dir, "out", stack, "prometheus"))).toEqual(["agent-hive.rules.yml"]);
      expect(fs.readdirSync(path.join(dir, "out", stack, "grafana")).sort()).toEqual([`agent-hive-cicd-${stack}.json`, `agent-hive-service-${stack}.json`]);
    }
    expect(r.stdout).toMatch(/stack production: \d+ resources/);
    expect(r.stdout).toMatch(/protected: kubernetes:core\/v1:Namespace agent-hive-namespace/);
  });

  it("plans one stack with --stack and a new stack file with no code change", async () => {
    const dir = project({ staging: loadStackDoc("staging"), qa: qaBesideStaging() });
    const r = await runCliInProcess(CLI, ["--stack", "qa"], dir);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, "out"))).toEqual(["qa"]);
    const qaNamespace = fs.readdirSync(path.join(dir, "out/qa/manifests")).find((f) => f.endsWith("-namespace-agent-hive-qa.yaml")) ?? "";
    expect(fs.readFileSync(path.join(dir, "out/qa/manifests", qaNamespace), "utf8")).toContain("environment: qa");
  });

  it("on a broken stack file names every problem, exits non-zero and writes nothing", () => {
    const broken = loadStackDoc("staging");
    (broken.config[`${PROJECT}:services`] as Record<string, unknown>[])[0].replicas = -2;
    broken.config[`${PROJECT}:surprise`] = true;
    cfg(broken, "namespace").name = "Not A Name";
    (cfg(broken, "namespace").quota as Record<string, unknown>).pods = "many";
    const dir = project({ staging: broken, production: loadStackDoc("production") });
    const r = runCli(CLI, [], dir);
    expect(r.status).toBe(1);
    for (const key of ["services[0].replicas", "surprise", "namespace.name", "namespace.quota.pods"]) expect(r.stderr).toContain(`${PROJECT}:${key}`);
    expect(r.stderr).toContain("nothing was written");
    expect(filesUnder(path.join(dir, "out"))).toEqual([]);
  });

  it("records where each plan came from: the config's fingerprint and the hashes of its files", async () => {
    const dir = project({ staging: loadStackDoc("staging") });
    expect((await runCliInProcess(CLI, [], dir)).status).toBe(0);
    const plan = JSON.parse(fs.readFileSync(path.join(dir, "out", "staging", "plan.json"), "utf8"));
    expect(plan.source.config).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(plan.source.files).sort()).toEqual(["Pulumi.staging.yaml", "Pulumi.yaml"]);
  });

  it("after a failed plan removes that stack's earlier outputs and leaves the others", async () => {
    const dir = project({ staging: loadStackDoc("staging"), production: loadStackDoc("production") });
    expect((await runCliInProcess(CLI, [], dir)).status).toBe(0);
    const production = fs.readFileSync(path.join(dir, "out", "production", "plan.json"), "utf8");
    const broken = loadStackDoc("staging");
    (broken.config[`${PROJECT}:services`] as Record<string, unknown>[])[0].replicas = -2;
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), JSON.stringify(broken));
    const r = await runCliInProcess(CLI, [], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("nothing was written; removed the stale out/staging/.");
    expect(fs.existsSync(path.join(dir, "out", "staging"))).toBe(false);
    // The other stack's plan is kept; its fingerprint still matches its stack file.
    expect(fs.readFileSync(path.join(dir, "out", "production", "plan.json"), "utf8")).toBe(production);
    const policy = await runCliInProcess("stacks/offline/policy-cli.ts", ["--stack", "production"], dir);
    expect(policy.status).toBe(0);
  });

  it("never shows a secret value in out/ or on the terminal", () => {
    const sentinel = "SENTINEL-SECRET-VALUE-91c2";
    const staging = loadStackDoc("staging");
    // A value the CLI cannot decrypt offline, and a required-secret placeholder, both stay hidden.
    staging.config[`${PROJECT}:kubeconfig`] = { secure: `v1:${sentinel}` };
    const dir = project({ staging });
    const r = runCli(CLI, [], dir);
    expect(r.status).toBe(0);
    const written = filesUnder(path.join(dir, "out")).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    expect(written).toContain('"kubeconfig": "[secret]"');
    for (const text of [written, r.stdout, r.stderr]) {
      expect(text).not.toContain(sentinel);
      expect(text).not.toContain("OFFLINE-PLACEHOLDER");
    }
  });

  it("explains an unknown stack and a bad flag", () => {
    const dir = project({ staging: loadStackDoc("staging") });
    const missing = runCli(CLI, ["--stack", "nope"], dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no stack file");
    expect(missing.stderr).toContain("staging");
    const bad = runCli(CLI, ["--frobnicate"], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("usage: npm run plan");
  });
});
