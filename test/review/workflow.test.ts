import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../support/cli";
import { ROOT } from "../support/stacks";

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { if?: string; environment?: string; needs?: string; permissions?: Record<string, string>; steps: Step[] };
const wf = parse(fs.readFileSync(path.join(ROOT, ".github/workflows/platform-review.yml"), "utf8")) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const runs = (j: Job) => j.steps.map((s) => s.run ?? "").join("\n");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the review workflow (platform-review.yml)", () => {
  it("decides from the event with the review CLI, and deploys or destroys only on its word, in the gated review environment", () => {
    expect(runs(wf.jobs.decide)).toContain('npm run -s review -- decide --event "$GITHUB_EVENT_PATH"');
    expect(wf.jobs.deploy.if).toBe("needs.decide.outputs.action == 'deploy'");
    expect(wf.jobs.destroy.if).toBe("needs.decide.outputs.action == 'destroy'");
    for (const j of ["deploy", "destroy", "sweep"]) expect(wf.jobs[j].environment, j).toBe("review");
  });

  it("makes the stack from the template, gates the update with the policy pack, and never touches another stack", () => {
    const deploy = runs(wf.jobs.deploy);
    expect(deploy).toContain('npm run -s review -- stack --pr "$PR"');
    expect(deploy.indexOf("pulumi preview --stack \"$STACK\" --policy-pack policies")).toBeLessThan(deploy.indexOf("pulumi up --stack \"$STACK\" --policy-pack policies"));
    // Secrets reach pulumi on stdin, never on a command line.
    expect(deploy).toMatch(/printf '%s' "\$REVIEW_KUBECONFIG" \| pulumi config set --secret kubeconfig/);
    // The review stack pulls the private images with staging's kind of pull secret.
    expect(deploy).toMatch(/printf '%s' "\$REVIEW_REGISTRY_PASSWORD" \| pulumi config set --secret registryPassword/);
    expect(runs(wf.jobs.destroy).trim().split("\n").filter((l) => l.includes("pulumi") || l.includes("destroy"))).toEqual(['bash stacks/review/destroy.sh "$STACK"']);
    expect(runs(wf.jobs.sweep)).toContain('npm run -s review -- expired --stacks');
  });
});

describe("npm run review -- decide, on GitHub's event payload", () => {
  const event = (headRepo: string | null, labels: string[], action = "labeled") => {
    const file = path.join(dir, `event-${Math.random()}.json`);
    fs.writeFileSync(file, JSON.stringify({ action, repository: { full_name: "leanvibe/agent-hive-platform" }, pull_request: { number: 12, state: "open", labels: labels.map((name) => ({ name })), head: { repo: headRepo === null ? null : { full_name: headRepo } } } }));
    return JSON.parse(runCli("stacks/review/review-cli.ts", ["decide", "--event", file], ROOT).stdout);
  };

  it("deploys a labelled pull request of this repository, and never a fork's or a deleted fork's", () => {
    expect(event("leanvibe/agent-hive-platform", ["review-env"])).toEqual({ action: "deploy", stack: "review-12" });
    expect(event("mallory/agent-hive-platform", ["review-env"]).action).toBe("skip");
    expect(event(null, ["review-env"]).action).toBe("skip");
  });
});

describe("stacks/review/destroy.sh", () => {
  // A stand-in pulumi that logs its arguments and knows one stack, review-5.
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, "pulumi"), `#!/usr/bin/env bash\necho "pulumi $*" >> "${dir}/calls"\nif [ "$1 $2" = "stack select" ] && [ "$3" != review-5 ]; then exit 255; fi\nexit 0\n`, { mode: 0o755 });
  const destroy = (stack: string) => {
    fs.rmSync(path.join(dir, "calls"), { force: true });
    const r = spawnSync("bash", [path.join(ROOT, "stacks/review/destroy.sh"), stack], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    const calls = fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : [];
    return { status: r.status, stderr: r.stderr, stdout: r.stdout, calls };
  };

  it("destroys and removes a review stack", () => {
    const r = destroy("review-5");
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(["pulumi stack select review-5 --non-interactive", "pulumi destroy --stack review-5 --yes --skip-preview --non-interactive", "pulumi stack rm review-5 --yes --non-interactive"]);
  });

  it("refuses any other stack before calling pulumi at all", () => {
    for (const s of ["staging", "production", "review-0", "review-5; rm -rf /", ""]) {
      const r = destroy(s);
      expect(r.status, s).toBe(1);
      expect(r.calls, s).toEqual([]);
    }
  });

  it("treats a stack that does not exist as already gone", () => {
    const r = destroy("review-6");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("no stack review-6: nothing to destroy");
    expect(r.calls).toEqual(["pulumi stack select review-6 --non-interactive"]);
  });
});
