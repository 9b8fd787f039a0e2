import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError, runMain } from "./args";
import { PlanDocument, StackDiff, diffPlans, formatMarkdown, formatText } from "./diff";
import { listStacks } from "./stackFile";

const USAGE = "usage: npm run diff -- --base <plan dir | git ref> [--head <plan dir>] [--stack <name> ...] [--format text|markdown] [--output <file>]";

interface DiffArgs {
  readonly base: string;
  readonly head?: string;
  readonly stacks: string[];
  readonly format: "text" | "markdown";
  readonly output?: string;
}

function parseArgs(argv: readonly string[]): DiffArgs {
  const stacks: string[] = [];
  const named = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
    if (flag === "--help" || flag === "-h") throw new UsageError(USAGE, 0);
    if (!["--base", "--head", "--stack", "--format", "--output"].includes(flag)) throw new UsageError(`unknown argument ${argv[i]}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
    if (flag === "--stack") stacks.push(value);
    else named.set(flag, value);
  }
  const base = named.get("--base");
  if (!base) throw new UsageError(`--base is required\n${USAGE}`);
  const format = named.get("--format") ?? "text";
  if (format !== "text" && format !== "markdown") throw new UsageError(`--format must be text or markdown, not ${format}`);
  return { base, head: named.get("--head"), stacks, format, output: named.get("--output") };
}

const git = (cwd: string, ...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8" });

/** Plans a source tree with its own plan command into `out`, using this checkout's installed packages. */
function planTree(tree: string, out: string, root: string): void {
  const cli = path.join(tree, "stacks", "offline", "plan-cli.ts");
  if (!fs.existsSync(cli)) throw new UsageError(`${tree} has no offline plan (stacks/offline/plan-cli.ts); give --base a directory of plans instead`, 1);
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", cli, "--out", out], {
    cwd: tree,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.join(tree, "tsconfig.json"), NODE_PATH: path.join(root, "node_modules") },
  });
  if (r.status !== 0) throw new UsageError(`planning ${tree} failed:\n${r.stderr || r.stdout}`, 1);
}

/** A directory of plans for the base: the one given, or the plans of a git revision made now. */
function basePlans(base: string, root: string, scratch: string): string {
  if (fs.existsSync(base) && fs.statSync(base).isDirectory()) return base;
  const rev = git(root, "rev-parse", "--verify", "--quiet", `${base}^{commit}`);
  if (rev.status !== 0) throw new UsageError(`--base ${base} is neither a directory of plans nor a git revision`, 1);
  const tree = path.join(scratch, "base");
  const add = git(root, "worktree", "add", "--detach", "--force", tree, rev.stdout.trim());
  if (add.status !== 0) throw new UsageError(`git worktree add failed: ${add.stderr}`, 1);
  try {
    // The base revision runs with this checkout's packages: close enough for a plan, no install needed.
    fs.symlinkSync(path.join(root, "node_modules"), path.join(tree, "node_modules"), "dir");
    planTree(tree, path.join(scratch, "base-out"), root);
  } finally {
    git(root, "worktree", "remove", "--force", tree);
  }
  return path.join(scratch, "base-out");
}

function readPlan(dir: string, stack: string): PlanDocument {
  const file = path.join(dir, stack, "plan.json");
  // A stack the base does not have is all creates; one the head lacks, all deletes.
  if (!fs.existsSync(file)) return { stack, resources: [] };
  return JSON.parse(fs.readFileSync(file, "utf8")) as PlanDocument;
}

async function main(argv: readonly string[]): Promise<number> {
  const root = process.cwd();
  const args = parseArgs(argv);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-diff-"));
  try {
    const baseDir = basePlans(args.base, root, scratch);
    let headDir = args.head;
    if (!headDir) {
      headDir = path.join(scratch, "head-out");
      planTree(root, headDir, root);
    }
    const dirs = [baseDir, headDir];
    const stacks = args.stacks.length > 0 ? args.stacks : [...new Set([...listStacks(root), ...dirs.flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).filter((s) => fs.existsSync(path.join(d, s, "plan.json"))) : []))])].sort();
    const diffs: StackDiff[] = stacks.map((s) => diffPlans(readPlan(baseDir, s), readPlan(headDir as string, s)));
    const text = args.format === "markdown" ? formatMarkdown(diffs) : formatText(diffs);
    if (args.output) fs.writeFileSync(args.output, `${text}\n`);
    console.log(text);
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runMain(main);
