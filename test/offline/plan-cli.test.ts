import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT } from "../../infra/catalogue/names";
import { runCli } from "../support/cli";
import { cfg, loadStackDoc, tempProject } from "../support/stacks";

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
  it("writes plan.json and ordered manifests for every stack and summarises them", () => {
    const dir = project({ staging: loadStackDoc("staging"), production: loadStackDoc("production") });
    const r = runCli(CLI, [], dir);
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

  it("plans one stack with --stack and a new stack file with no code change", () => {
    const qa = loadStackDoc("staging");
    qa.config[`${PROJECT}:environment`] = "qa";
    cfg(qa, "namespace").name = "agent-hive-qa";
    const dir = project({ staging: loadStackDoc("staging"), qa });
    const r = runCli(CLI, ["--stack", "qa"], dir);
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
