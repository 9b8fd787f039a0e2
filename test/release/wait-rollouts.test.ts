import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const SCRIPT = path.join(ROOT, "stacks/release/wait-rollouts.sh");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** How the fake cluster answers for one Rollout: what `status` ends with, and the Rollout's status fields. */
interface FakeRollout {
  readonly status: "Healthy" | "Degraded" | "timeout";
  readonly abort?: boolean;
  readonly phase?: string;
}

/**
 * Runs the script with a fake `kubectl` first on PATH that answers as the
 * plugin does (exit 0 on Healthy, 1 on Degraded or timeout) and logs its calls.
 */
function wait(rollouts: Record<string, FakeRollout>, args: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wait-rollouts-"));
  dirs.push(dir);
  const cases = Object.entries(rollouts)
    .map(([name, r]) => {
      const status = r.status === "Healthy" ? "echo Healthy; exit 0" : r.status === "Degraded" ? "echo 'Degraded - RolloutAborted'; echo 'The rollout is in a degraded state' >&2; exit 1" : "echo Progressing; echo 'Rollout status watch exceeded timeout' >&2; exit 1";
      return `    "argo rollouts status ${name} "*) ${status} ;;
    "get rollout ${name} "*"{.status.abort}"*) echo -n "${r.abort ? "true" : ""}" ;;
    "get rollout ${name} "*"{.status.phase}"*) echo -n "${r.phase ?? ""}" ;;
    "argo rollouts get rollout ${name} "*) echo "tree of ${name}" ;;`;
    })
    .join("\n");
  fs.writeFileSync(
    path.join(dir, "kubectl"),
    `#!/usr/bin/env bash\necho "$*" >> "${dir}/calls"\ncase "$* " in\n${cases}\n    *) echo "fake kubectl: unexpected $*" >&2; exit 1 ;;\nesac\n`,
    { mode: 0o755 },
  );
  const output = path.join(dir, "github-output");
  const r = spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, GITHUB_OUTPUT: output } });
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: read(path.join(dir, "calls")).trim().split("\n"), output: read(output) };
}

describe("wait-rollouts.sh", () => {
  it("succeeds when every Rollout is Healthy, waiting on each with the remaining time", () => {
    const r = wait({ a: { status: "Healthy" }, b: { status: "Healthy" } }, ["agent-hive-staging", "360", "a", "b"]);
    expect(r.status).toBe(0);
    expect(r.output).toBe("reason=success\n");
    expect(r.calls[0]).toMatch(/^argo rollouts status a -n agent-hive-staging --timeout (360|359)s$/);
    expect(r.calls[1]).toMatch(/^argo rollouts status b -n agent-hive-staging --timeout \d+s$/);
  });

  it("fails on an aborted canary, reports canary_aborted and shows the Rollout", () => {
    const r = wait({ a: { status: "Degraded", abort: true, phase: "Degraded" } }, ["ns", "60", "a"]);
    expect(r.status).toBe(1);
    expect(r.output).toBe("reason=canary_aborted\n");
    expect(r.stdout).toContain("tree of a");
    expect(r.stdout).toContain("::error::rollout a in ns: canary_aborted");
  });

  it("tells a timeout from a degraded Rollout, and an abort wins over both", () => {
    expect(wait({ a: { status: "timeout", phase: "Progressing" } }, ["ns", "60", "a"]).output).toBe("reason=timeout\n");
    expect(wait({ a: { status: "Degraded", phase: "Degraded" } }, ["ns", "60", "a"]).output).toBe("reason=degraded\n");
    const mixed = wait({ a: { status: "timeout", phase: "Paused" }, b: { status: "Degraded", abort: true, phase: "Degraded" }, c: { status: "Healthy" } }, ["ns", "60", "a", "b", "c"]);
    expect(mixed.status).toBe(1);
    expect(mixed.output).toBe("reason=canary_aborted\n");
    // Every Rollout is waited on, even after one failed.
    expect(mixed.calls.filter((c) => c.startsWith("argo rollouts status"))).toHaveLength(3);
    expect(mixed.stderr).toContain("a is Paused");
  });

  it("refuses bad arguments", () => {
    expect(wait({}, ["ns", "0", "a"]).stderr).toMatch(/timeout "0" must be whole seconds above 0/);
    expect(wait({}, ["ns", "60"]).status).toBe(2);
  });
});
