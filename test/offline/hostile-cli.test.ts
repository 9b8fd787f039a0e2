import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT } from "../../infra/catalogue/names";
import { runCliInProcess } from "../support/cli";
import { ROOT, StackDoc, cfg, loadStackDoc, qaBesideStaging, tempProject } from "../support/stacks";

// The red-team's examples, one row each, against the real commands in a
// throwaway project: the exit code, the one line on stderr, and that nothing
// outside the project's out/ changed (a victim directory sits next to it).
// Most rows call the command's main in this process (runCliInProcess: the same
// command and exit code, without a process's start-up); the rows marked
// `process` start one, for what only a process proves: the exit code and the
// one line reaching stderr for each command and kind of failure, and that a
// special filesystem fails fast instead of spinning (a spin is killed there).

type Cli = "plan" | "policy" | "diff" | "golden";
const SCRIPT: Record<Cli, string> = {
  plan: "stacks/offline/plan-cli.ts",
  policy: "stacks/offline/policy-cli.ts",
  diff: "stacks/offline/diff-cli.ts",
  golden: "stacks/offline/golden-cli.ts",
};

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a command in this process (see runCliInProcess). */
async function run(cli: Cli, args: readonly string[], cwd: string): Promise<Result> {
  const t0 = Date.now();
  return { ...(await runCliInProcess(SCRIPT[cli], args, cwd)), ms: Date.now() - t0 };
}

/** Runs a command as npm run does, without blocking the other rows, killed after `timeoutMs` (a spin fails the row, never the run). */
function runProcess(cli: Cli, args: readonly string[], cwd: string, timeoutMs = 40_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ["-r", path.join(ROOT, "stacks/loader.cjs"), path.join(ROOT, SCRIPT[cli]), ...args], {
      cwd,
      env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") },
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** Every entry under `dir` but `skip`, with its kind and content hash: what "untouched" is checked against. */
function snapshot(dir: string, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (p === skip) continue;
      const rel = path.relative(dir, p);
      if (e.isSymbolicLink()) out[rel] = `link ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) {
        out[rel] = "dir";
        walk(p);
      } else out[rel] = `file ${createHash("sha256").update(fs.readFileSync(p)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

interface Sandbox {
  /** Holds `proj/` and the victims next to it. */
  readonly root: string;
  /** The project: stack files, Pulumi.yaml, and out/ when the row asks for plans. */
  readonly proj: string;
}

const docs = (): Record<string, StackDoc> => ({ staging: loadStackDoc("staging"), production: loadStackDoc("production") });
const renamedProduction = (): StackDoc => {
  const doc = loadStackDoc("production");
  cfg(doc, "namespace").name = "agent-hive-prod";
  return doc;
};
const qa = qaBesideStaging;

const cleanup: string[] = [];
let seed: string; // out/ of the committed stacks
// out/ of a project whose production namespace is renamed (a protected replacement) and that has a new stack qa.
let seedMore: string;

async function planned(stackDocs: Record<string, StackDoc>): Promise<string> {
  const dir = tempProject(stackDocs);
  cleanup.push(dir);
  const r = await run("plan", [], dir);
  if (r.status !== 0) throw new Error(`seed plan failed: ${r.stderr}`);
  return path.join(dir, "out");
}

beforeAll(async () => {
  [seed, seedMore] = await Promise.all([planned(docs()), planned({ ...docs(), production: renamedProduction(), qa: qa() })]);
}, 120_000);
afterAll(() => cleanup.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function sandbox(stackDocs: Record<string, StackDoc> = docs()): Sandbox {
  const proj = tempProject(stackDocs);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-hostile-"));
  cleanup.push(root, proj);
  fs.renameSync(proj, path.join(root, "proj"));
  const s = { root, proj: path.join(root, "proj") };
  // What a stray path would hit: a directory and a stack file next to the project, and one inside it beside out/.
  fs.mkdirSync(path.join(root, "victim"));
  fs.writeFileSync(path.join(root, "victim", "precious.txt"), "keep me\n");
  fs.copyFileSync(path.join(ROOT, "Pulumi.staging.yaml"), path.join(root, "victim.yaml"));
  fs.mkdirSync(path.join(s.proj, "victim"));
  fs.writeFileSync(path.join(s.proj, "victim", "precious.txt"), "keep me\n");
  fs.writeFileSync(path.join(s.proj, "afile"), "not a directory\n");
  fs.mkdirSync(path.join(s.proj, "adir"));
  return s;
}

const copy = (from: string, s: Sandbox, to: string) => fs.cpSync(from, path.join(s.proj, to), { recursive: true });
/** out/ as the head of a change: the committed plans, with `stacks` planned from the changed project. */
const changedHead = (s: Sandbox, ...stacks: string[]) => {
  copy(seed, s, "base");
  copy(seed, s, "out");
  for (const stack of stacks) {
    fs.rmSync(path.join(s.proj, "out", stack), { recursive: true, force: true });
    copy(path.join(seedMore, stack), s, path.join("out", stack));
  }
};
const withPlans = (s: Sandbox) => copy(seed, s, "out");
const withBase = (s: Sandbox) => {
  copy(seed, s, "base");
  copy(seed, s, "out");
};
const editJson = (file: string, change: (doc: Record<string, unknown>) => Record<string, unknown>) =>
  fs.writeFileSync(file, JSON.stringify(change(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>)));
const breakStaging = (s: Sandbox) => {
  const doc = loadStackDoc("staging");
  (doc.config[`${PROJECT}:services`] as Record<string, unknown>[])[0].replicas = -2;
  fs.writeFileSync(path.join(s.proj, "Pulumi.staging.yaml"), JSON.stringify(doc));
};

interface Row {
  readonly name: string;
  readonly cli: Cli;
  readonly args: readonly string[];
  readonly status: number;
  /** The whole of stderr: one line. */
  readonly message: RegExp;
  readonly stackDocs?: () => Record<string, StackDoc>;
  readonly setup?: (s: Sandbox) => void | Promise<void>;
  readonly stdout?: RegExp;
  /** Stays fast: a spin is a failure, not a timeout of the run (a process of its own). */
  readonly withinMs?: number;
  /** Run as a process of its own (as npm run does), not in the test's. */
  readonly process?: true;
}

const NOT_A_STACK = /^--stack "[^"]*" is not a stack name: it (may hold only letters, digits, "\.", "_" and "-"|is a directory reference); give the <name> of a Pulumi\.<name>\.yaml$/;
const OUT_FIX = ": give a directory of its own, e.g. --out out$";
const STALE_STAGING = /^out\/staging\/plan\.json was planned from an older Pulumi\.staging\.yaml: run npm run plan$/;

const ROWS: Row[] = [
  // 1. Stack names and --out.
  { process: true, name: "plan --stack with ../ segments", cli: "plan", args: ["--stack", "../victim"], status: 2, message: NOT_A_STACK },
  { name: "plan --stack that resolves to a directory beside out/", cli: "plan", args: ["--stack", "x/../../victim"], status: 2, message: NOT_A_STACK },
  { name: "plan --stack ..", cli: "plan", args: ["--stack", ".."], status: 2, message: NOT_A_STACK },
  { name: "plan --stack=<absolute path>", cli: "plan", args: ["--stack=/tmp/victim"], status: 2, message: NOT_A_STACK },
  {
    name: "plan of a stack file named Pulumi....yaml (stack ..)",
    cli: "plan",
    args: [],
    setup: (s) => fs.copyFileSync(path.join(ROOT, "Pulumi.staging.yaml"), path.join(s.proj, "Pulumi....yaml")),
    status: 1,
    message: /^Pulumi\.\.\.\.yaml names the stack "\.\.", which is a directory reference: rename it$/,
  },
  { process: true, name: "policy --stack with ../ segments", cli: "policy", args: ["--stack", "../victim"], setup: withPlans, status: 2, message: NOT_A_STACK },
  { process: true, name: "diff --stack with ../ segments", cli: "diff", args: ["--base", "base", "--head", "out", "--stack", "../victim"], setup: withBase, status: 2, message: NOT_A_STACK },
  { process: true, name: "golden --stack with ../ segments", cli: "golden", args: ["--stack", "x/../../victim"], status: 2, message: NOT_A_STACK },
  { name: "golden --out (it writes test/golden only)", cli: "golden", args: ["--out", "../victim"], status: 2, message: /^--out is not an option of this command, which writes only where its usage says: usage: npm run golden/ },
  { name: "plan --out /", cli: "plan", args: ["--out", "/"], status: 2, message: new RegExp(`^--out "/" is the filesystem root${OUT_FIX}`) },
  { name: "plan --out . (the project)", cli: "plan", args: ["--out", "."], status: 2, message: new RegExp(`^--out "\\." is the project directory itself${OUT_FIX}`) },
  { name: "plan --out .. (contains the project)", cli: "plan", args: ["--out", ".."], status: 2, message: new RegExp(`^--out "\\.\\." contains the project directory${OUT_FIX}`) },
  { name: "plan --out <a file>", cli: "plan", args: ["--out", "afile"], status: 2, message: new RegExp(`^--out "afile" exists and is not a directory${OUT_FIX}`) },
  { name: "plan --out <inside a file>", cli: "plan", args: ["--out", "afile/sub"], status: 2, message: /^--out "afile\/sub" is inside ".*afile", which is not a directory: / },
  { name: "plan --out /proc/self (spun forever)", cli: "plan", args: ["--out", "/proc/self"], status: 2, message: new RegExp(`^--out "/proc/self" is under /proc, not a directory on disk${OUT_FIX}`), withinMs: 15_000, process: true },
  { name: "plan --out /dev", cli: "plan", args: ["--out", "/dev"], status: 2, message: new RegExp(`^--out "/dev" is under /dev, not a directory on disk${OUT_FIX}`), withinMs: 15_000, process: true },
  { name: "plan --out /sys/kernel", cli: "plan", args: ["--out", "/sys/kernel"], status: 2, message: /^--out "\/sys\/kernel" is under \/sys, not a directory on disk/, withinMs: 15_000, process: true },
  { name: "policy --out /", cli: "policy", args: ["--out", "/"], status: 2, message: /^--out "\/" is the filesystem root/ },
  {
    name: "plan over an out/<stack> holding someone else's files",
    cli: "plan",
    args: ["--stack", "staging"],
    setup: (s) => {
      withPlans(s);
      fs.writeFileSync(path.join(s.proj, "out", "staging", "notes.txt"), "mine\n");
    },
    status: 1,
    message: /^.*\/out\/staging holds files npm run plan did not write \("notes\.txt"\): move them away or give another --out$/,
  },
  {
    name: "plan over an out/<stack> that links elsewhere",
    cli: "plan",
    args: ["--stack", "staging"],
    setup: (s) => {
      fs.mkdirSync(path.join(s.proj, "out"));
      fs.symlinkSync(path.join(s.root, "victim"), path.join(s.proj, "out", "staging"));
    },
    status: 1,
    message: /^.*\/out\/staging is not a plan directory \(it is a symbolic link\): move it away or give another --out$/,
  },

  // 2. Stale plans.
  {
    name: "policy over a plan older than its stack file (a value changed)",
    process: true,
    cli: "policy",
    args: [],
    setup: (s) => {
      withPlans(s);
      const doc = loadStackDoc("staging");
      cfg(doc, "slo").errorRatePerSecond = 0.5;
      fs.writeFileSync(path.join(s.proj, "Pulumi.staging.yaml"), JSON.stringify(doc));
    },
    status: 1,
    message: STALE_STAGING,
  },
  {
    name: "policy over a plan older than its stack file (a comment added)",
    cli: "policy",
    args: [],
    setup: (s) => {
      withPlans(s);
      fs.appendFileSync(path.join(s.proj, "Pulumi.staging.yaml"), "# edited\n");
    },
    status: 1,
    message: STALE_STAGING,
  },
  {
    name: "policy over a plan older than Pulumi.yaml",
    cli: "policy",
    args: ["--stack", "production"],
    setup: (s) => {
      withPlans(s);
      fs.appendFileSync(path.join(s.proj, "Pulumi.yaml"), "# edited\n");
    },
    status: 1,
    message: /^out\/production\/plan\.json was planned from an older Pulumi\.yaml: run npm run plan$/,
  },
  {
    name: "policy over a plan without a fingerprint",
    cli: "policy",
    args: ["--stack", "production"],
    setup: (s) => {
      withPlans(s);
      editJson(path.join(s.proj, "out", "production", "plan.json"), ({ source: _source, ...doc }) => doc);
    },
    status: 1,
    message: /^out\/production\/plan\.json has no config fingerprint \(an older npm run plan wrote it\): run npm run plan$/,
  },
  {
    name: "policy over a plan of another project",
    cli: "policy",
    args: ["--stack", "production"],
    setup: (s) => {
      withPlans(s);
      editJson(path.join(s.proj, "out", "production", "plan.json"), (doc) => ({ ...doc, project: "someone-else" }));
    },
    status: 1,
    message: /^out\/production\/plan\.json is a plan of project "someone-else", not agent-hive-platform: give plans made in this project$/,
  },
  {
    name: "policy after a failed plan of that stack",
    cli: "policy",
    args: [],
    setup: async (s) => {
      withPlans(s);
      breakStaging(s);
      expect((await run("plan", [], s.proj)).status).toBe(1);
    },
    status: 1,
    message: /^out\/staging\/plan\.json does not exist: run npm run plan first$/,
  },

  // 3. The diff.
  {
    name: "diff with a mistyped --stack",
    cli: "diff",
    args: ["--base", "base", "--head", "out", "--stack", "prodution"],
    setup: withBase,
    status: 1,
    message: /^--stack prodution: no plan for it in --base base or --head out: the stacks with plans are production, staging$/,
  },
  {
    name: "diff with an empty base",
    cli: "diff",
    args: ["--base", "adir", "--head", "out"],
    setup: withPlans,
    status: 1,
    message: /^--base adir holds no plans \(no <stack>\/plan\.json in it\): give the --out directory of npm run plan for the base, or a git revision$/,
  },
  {
    name: "diff with a base that lacks a stack, not said to be new",
    cli: "diff",
    args: ["--base", "base", "--head", "out"],
    stackDocs: () => ({ ...docs(), qa: qa() }),
    setup: (s) => changedHead(s, "qa"),
    status: 1,
    message: /^--base base has no plan for stack qa \(no base\/qa\/plan\.json\): if qa is new in this change, pass --allow-new-stack; otherwise give the base's plans$/,
  },
  {
    name: "diff with a new stack and --allow-new-stack",
    process: true,
    cli: "diff",
    args: ["--base", "base", "--head", "out", "--allow-new-stack"],
    stackDocs: () => ({ ...docs(), qa: qa() }),
    setup: (s) => changedHead(s, "qa"),
    status: 0,
    message: /^$/,
    stdout: /^qa: new stack, \d+ to create, 0 to update, 0 to replace, 0 to delete, \d+ secret config changed$/m,
  },
  {
    name: "diff with a head plan of another project",
    cli: "diff",
    args: ["--base", "base", "--head", "out"],
    setup: (s) => {
      withBase(s);
      editJson(path.join(s.proj, "out", "staging", "plan.json"), (doc) => ({ ...doc, project: "someone-else" }));
    },
    status: 1,
    message: /^out\/staging\/plan\.json \(--head out\) is a plan of project "someone-else", not agent-hive-platform: give plans made in this project$/,
  },
  {
    name: "diff with a base plan of another project",
    cli: "diff",
    args: ["--base", "base", "--head", "out"],
    setup: (s) => {
      withBase(s);
      editJson(path.join(s.proj, "base", "staging", "plan.json"), (doc) => ({ ...doc, project: "someone-else" }));
    },
    status: 1,
    message: /^base\/staging\/plan\.json \(--base base\) is a plan of project "someone-else"/,
  },
  {
    name: "diff with a head plan older than its stack file",
    cli: "diff",
    args: ["--base", "base", "--head", "out"],
    setup: (s) => {
      withBase(s);
      fs.appendFileSync(path.join(s.proj, "Pulumi.staging.yaml"), "# edited\n");
    },
    status: 1,
    message: STALE_STAGING,
  },
  {
    name: "diff after a failed plan of a stack",
    cli: "diff",
    args: ["--base", "base", "--head", "out"],
    setup: async (s) => {
      withBase(s);
      breakStaging(s);
      expect((await run("plan", [], s.proj)).status).toBe(1);
    },
    status: 1,
    message: /^--head out has no plan for stack staging, whose Pulumi\.staging\.yaml is here: run npm run plan$/,
  },
  {
    name: "diff that replaces the protected production namespace",
    process: true,
    cli: "diff",
    args: ["--base", "base", "--head", "out"],
    stackDocs: () => ({ ...docs(), production: renamedProduction() }),
    setup: (s) => changedHead(s, "production"),
    status: 1,
    message: /^diff: 1 warning: a protected resource, namespace, provider or governance resource would be replaced or deleted, or lose its protection; review it, or pass --warn-only to exit 0$/,
    stdout: /!! WARNING: replaces kubernetes:core\/v1:Namespace agent-hive-namespace \(protected\)/,
  },
  {
    name: "diff that replaces the protected production namespace, --warn-only",
    cli: "diff",
    args: ["--base", "base", "--head", "out", "--warn-only"],
    stackDocs: () => ({ ...docs(), production: renamedProduction() }),
    setup: (s) => changedHead(s, "production"),
    status: 0,
    message: /^$/,
    stdout: /^production: .*1 WARNING$/m,
  },
  { name: "diff --warn-only=yes", cli: "diff", args: ["--base", "base", "--warn-only=yes"], status: 2, message: /^--warn-only takes no value, not "yes": give --warn-only alone$/ },

  // 5. Filesystem errors: one line, no stack.
  { name: "diff --output <a directory>", cli: "diff", args: ["--base", "base", "--head", "out", "--output", "adir"], setup: withBase, status: 1, message: /^cannot open adir: it is a directory \(EISDIR\)$/ },
  { name: "diff --output <inside a file>", cli: "diff", args: ["--base", "base", "--head", "out", "--output", "afile/x.md"], setup: withBase, status: 1, message: /^cannot open afile\/x\.md: a part of the path is not a directory \(ENOTDIR\)$/ },
  { name: "diff --output <in a missing directory>", cli: "diff", args: ["--base", "base", "--head", "out", "--output", "nope/x.md"], setup: withBase, status: 1, message: /^cannot open nope\/x\.md: no such file or directory \(ENOENT\)$/ },
  { name: "diff --output /dev/full", cli: "diff", args: ["--base", "base", "--head", "out", "--output", "/dev/full"], setup: withBase, status: 1, message: /^cannot write \/dev\/full: no space left on device \(ENOSPC\)$/ },
  { name: "diff --output <a file nobody may write>", cli: "diff", args: ["--base", "base", "--head", "out", "--output", "/sys/kernel/notes"], setup: withBase, status: 1, message: /^cannot open \/sys\/kernel\/notes: permission denied \(EACCES\)$/ },
  {
    name: "policy over a plan.json that is a directory",
    cli: "policy",
    args: ["--stack", "staging"],
    setup: (s) => {
      withPlans(s);
      fs.rmSync(path.join(s.proj, "out", "staging", "plan.json"));
      fs.mkdirSync(path.join(s.proj, "out", "staging", "plan.json"));
    },
    status: 1,
    message: /^cannot read .*out\/staging\/plan\.json: it is a directory \(EISDIR\)$/,
  },
];

describe("offline commands under hostile input", () => {
  it.concurrent.each(ROWS)("$name", async (row) => {
    const s = sandbox(row.stackDocs?.());
    await row.setup?.(s);
    const out = path.join(s.proj, "out");
    const before = snapshot(s.root, out);
    const r = await (row.process ? runProcess : run)(row.cli, row.args, s.proj);
    expect({ status: r.status, stderr: r.stderr.trimEnd() }).toEqual({ status: row.status, stderr: expect.stringMatching(row.message) });
    expect(r.stderr.trimEnd().split("\n").length, r.stderr).toBe(1);
    if (row.stdout) expect(r.stdout).toMatch(row.stdout);
    if (row.withinMs) expect(r.ms).toBeLessThan(row.withinMs);
    // Nothing outside --out changed: not the project, not the victims beside it.
    expect(snapshot(s.root, out)).toEqual(before);
  });

  it("left nothing in the special and root directories it was pointed at", () => {
    for (const p of ["/dev/staging", "/dev/production", "/staging", "/production", "/proc/self/staging", "/sys/kernel/staging"]) expect(fs.existsSync(p), p).toBe(false);
  });
});
