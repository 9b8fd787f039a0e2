import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of the project's stack files, where `npm run release` runs (the package root). */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-cli-"));
  dirs.push(dir);
  for (const f of ["Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  return dir;
}

function release(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ["-r", path.join(ROOT, "stacks/loader.cjs"), path.join(ROOT, "stacks/release/release-cli.ts"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), NODE_PATH: path.join(ROOT, "node_modules") },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run release", () => {
  it("info prints the JSON the workflows read", () => {
    const r = release(project(), "info", "--stack", "production");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ namespace: "agent-hive-production", timeoutSeconds: 2520, rollouts: [{ name: "agent-hive-orchestrator", container: "orchestrator" }] });
  });

  it("target names the Rollout and the image the pod template will carry", () => {
    const digest = `sha256:${"d".repeat(64)}`;
    const r = release(project(), "target", "--stack", "staging", "--image", `ghcr.io/leanvibe/agent-hive:1.4.2@${digest}`);
    expect(JSON.parse(r.stdout)).toEqual({ service: "orchestrator", rollout: "agent-hive-orchestrator", container: "orchestrator", image: `ghcr.io/leanvibe/agent-hive@${digest}` });
  });

  it("set-image writes the stack file and says what changed; again, it changes nothing", () => {
    const dir = project();
    const r = release(dir, "set-image", "--stack", "staging", "--service", "orchestrator", "--image", "ghcr.io/leanvibe/agent-hive:1.4.2");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("services[0].tag: 1.0.0 -> 1.4.2");
    expect(fs.readFileSync(path.join(dir, "Pulumi.staging.yaml"), "utf8")).toContain("      tag: 1.4.2\n");
    expect(release(dir, "set-image", "--stack", "staging", "--image", "ghcr.io/leanvibe/agent-hive:1.4.2").stdout).toMatch(/already pins .*nothing changed/);
  });

  it.each([
    [["set-image", "--stack", "staging", "--image", "ghcr.io/leanvibe/agent-hive:latest"], /^release: --image "ghcr.io\/leanvibe\/agent-hive:latest": tag "latest" moves/],
    [["info", "--stack", "qa"], /^release: no stack file .*Pulumi\.qa\.yaml: create Pulumi\.qa\.yaml/],
    [["info"], /^release: info: --stack is required/],
    [["info", "--stack", "staging", "--image", "x"], /^release: info: unknown argument "--image"; it takes --stack/],
    [["deploy"], /^release: unknown command "deploy": use info, target or set-image/],
    [["set-image", "--stack", "../etc", "--image", "ghcr.io/leanvibe/agent-hive:1.4.2"], /^release: --stack "..\/etc": a stack name is letters/],
  ])("%j fails with one line and exit 1, no stack trace, and writes nothing", (args, message) => {
    const dir = project();
    const before = fs.readFileSync(path.join(dir, "Pulumi.staging.yaml"), "utf8");
    const r = release(dir, ...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(path.join(dir, "Pulumi.staging.yaml"), "utf8")).toBe(before);
  });
});
