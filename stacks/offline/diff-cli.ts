import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError, runMain } from "./args";
import { onFile } from "./errors";
import { PlanDocument, StackDiff, diffPlans, formatMarkdown, formatText, newStack, removedStack } from "./diff";
import { PlanIdentity, identityProblem, readPlanJson, shown, staleness } from "./fingerprint";
import { checkStackFlag, checkStackFound, within } from "./paths";
import { listStacks, projectStacks } from "./stack-file";

const USAGE =
  "usage: npm run diff -- --base <plan dir | git ref> [--head <plan dir>] [--stack <name> ...] [--format text|markdown|json] [--output <file>] [--warn-only] [--allow-new-stack]";

interface DiffArgs {
  readonly base: string;
  readonly head?: string;
  readonly stacks: string[];
  /** json: the StackDiff list itself, for machines (the real-engine test compares it with `pulumi preview --json`). */
  readonly format: "text" | "markdown" | "json";
  readonly output?: string;
  /** Exit 0 even when the diff warns (a protected resource, namespace or governance resource replaced or deleted). */
  readonly warnOnly: boolean;
  /** A stack the base directory has no plan of is new in this change, not a missing plan. */
  readonly allowNewStack: boolean;
}

const SWITCHES = ["--warn-only", "--allow-new-stack"];

function parseArgs(argv: readonly string[]): DiffArgs {
  const stacks: string[] = [];
  const named = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
    if (flag === "--help" || flag === "-h") throw new UsageError(USAGE, 0);
    if (SWITCHES.includes(flag)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value, not ${JSON.stringify(inline)}: give ${flag} alone`);
      switches.add(flag);
      continue;
    }
    if (!["--base", "--head", "--stack", "--format", "--output"].includes(flag)) throw new UsageError(`unknown argument ${argv[i]}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
    if (flag === "--stack") stacks.push(checkStackFlag(value));
    else named.set(flag, value);
  }
  const base = named.get("--base");
  if (!base) throw new UsageError(`--base is required\n${USAGE}`);
  const format = named.get("--format") ?? "text";
  if (format !== "text" && format !== "markdown" && format !== "json") throw new UsageError(`--format must be text, markdown or json, not ${format}`);
  return { base, head: named.get("--head"), stacks, format, output: named.get("--output"), warnOnly: switches.has("--warn-only"), allowNewStack: switches.has("--allow-new-stack") };
}

/** A directory of plans, one `<stack>/plan.json` each, and what is known of where they came from. */
interface PlanSet {
  readonly dir: string;
  /** How messages name it: `--base main`, `--head out`. */
  readonly label: string;
  /** For plans made here from a git revision: the stacks that revision has files for. */
  readonly stackFiles?: readonly string[];
  /** Plans the user made of this checkout (`--head <dir>`): refused when older than the stack files here. */
  readonly checkFresh?: boolean;
}

const git = (cwd: string, ...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8" });

/**
 * Plans a source tree with its own plan command into `out`, using this checkout's installed
 * packages and its loader (stacks/loader.cjs), which compiles the tree's files with the tree's
 * tsconfig and reuses this checkout's cached output for the files that did not change.
 */
function planTree(tree: string, out: string, root: string, stacks: readonly string[] | undefined): void {
  const cli = path.join(tree, "stacks", "offline", "plan-cli.ts");
  if (!fs.existsSync(cli)) throw new UsageError(`${tree} has no offline plan (stacks/offline/plan-cli.ts); give --base a directory of plans instead`, 1);
  const only = (stacks ?? []).flatMap((s) => ["--stack", s]);
  const r = spawnSync(process.execPath, ["-r", path.join(root, "stacks", "loader.cjs"), cli, "--out", out, ...only], {
    cwd: tree,
    encoding: "utf8",
    env: { ...process.env, NODE_PATH: path.join(root, "node_modules") },
  });
  if (r.status !== 0) throw new UsageError(`planning ${tree} failed:\n${r.stderr || r.stdout}`, 1);
}

/**
 * The stacks of `files` to plan: all (undefined) without --stack, else the ones asked for that
 * have a stack file there (a stack new or removed in the change has a plan on one side only).
 */
const toPlan = (files: readonly string[], asked: readonly string[]): string[] | undefined => (asked.length === 0 ? undefined : files.filter((s) => asked.includes(s)));

/** The plans of the base: the directory given, or the plans of a git revision made now (of the stacks asked for). */
function basePlans(base: string, root: string, scratch: string, asked: readonly string[]): PlanSet {
  const label = `--base ${base}`;
  if (fs.existsSync(base) && fs.statSync(base).isDirectory()) return { dir: base, label };
  const rev = git(root, "rev-parse", "--verify", "--quiet", `${base}^{commit}`);
  if (rev.status !== 0) throw new UsageError(`--base ${base} is neither a directory of plans nor a git revision`, 1);
  const tree = path.join(scratch, "base");
  const add = git(root, "worktree", "add", "--detach", "--force", tree, rev.stdout.trim());
  if (add.status !== 0) throw new UsageError(`git worktree add failed: ${add.stderr}`, 1);
  let stackFiles: string[];
  try {
    // The base revision runs with this checkout's packages: close enough for a plan, no install needed.
    fs.symlinkSync(path.join(root, "node_modules"), path.join(tree, "node_modules"), "dir");
    stackFiles = listStacks(tree);
    const stacks = toPlan(stackFiles, asked);
    if ((stacks ?? stackFiles).length > 0) planTree(tree, path.join(scratch, "base-out"), root, stacks);
  } finally {
    git(root, "worktree", "remove", "--force", tree);
  }
  return { dir: path.join(scratch, "base-out"), label, stackFiles };
}

/** The stacks with a plan in a directory. */
function stacksIn(set: PlanSet): string[] {
  if (!fs.existsSync(set.dir)) return [];
  return fs
    .readdirSync(set.dir)
    .filter((s) => fs.existsSync(path.join(set.dir, s, "plan.json")))
    .map((s) => checkStackFound(s, `${path.join(set.dir, s, "plan.json")} (${set.label})`));
}

/** The plan of `stack` in a set, checked to be a plan of this project and that stack; undefined when there is none. */
function readPlan(set: PlanSet, stack: string, root: string): PlanDocument | undefined {
  const file = within(set.dir, stack, "plan.json");
  if (!fs.existsSync(file)) return undefined;
  const where = `${shown(root, file)} (${set.label})`;
  const doc = readPlanJson<PlanDocument & PlanIdentity>(file, where);
  const problem = identityProblem(doc, where, stack) ?? (set.checkFresh ? staleness(doc, shown(root, file), root, stack) : undefined);
  if (problem) throw new UsageError(problem, 1);
  if (!Array.isArray(doc.resources)) throw new UsageError(`${where} has no resources list: run npm run plan`, 1);
  return doc;
}

/**
 * One stack's diff, or a UsageError when a plan is missing that should be
 * there. A stack only the head has is new when the base revision has no stack
 * file for it (or, for a base directory, when --allow-new-stack says so); one
 * only the base has is removed when this checkout has no stack file for it.
 */
function stackDiff(stack: string, base: PlanSet, head: PlanSet, args: DiffArgs, root: string, here: readonly string[]): StackDiff {
  const b = readPlan(base, stack, root);
  const h = readPlan(head, stack, root);
  if (b && h) return diffPlans(b, h);
  if (h) {
    if (base.stackFiles?.includes(stack)) throw new UsageError(`${base.label} has Pulumi.${stack}.yaml but planning it gave no plan for ${stack}: plan the base with npm run plan and give --base that directory`, 1);
    if (base.stackFiles || args.allowNewStack) return newStack(h);
    throw new UsageError(`${base.label} has no plan for stack ${stack} (no ${path.join(base.dir, stack, "plan.json")}): if ${stack} is new in this change, pass --allow-new-stack; otherwise give the base's plans`, 1);
  }
  if (b) {
    if (here.includes(stack)) throw new UsageError(`${head.label} has no plan for stack ${stack}, whose Pulumi.${stack}.yaml is here: run npm run plan`, 1);
    return removedStack(b);
  }
  const known = [...new Set([...stacksIn(base), ...stacksIn(head)])].sort();
  const named = args.stacks.includes(stack) ? `--stack ${stack}` : `stack ${stack} (Pulumi.${stack}.yaml)`;
  throw new UsageError(`${named}: no plan for it in ${base.label} or ${head.label}: ${known.length > 0 ? `the stacks with plans are ${known.join(", ")}` : "run npm run plan"}`, 1);
}

export async function main(argv: readonly string[]): Promise<number> {
  const root = process.cwd();
  const args = parseArgs(argv);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-diff-"));
  try {
    const base = basePlans(args.base, root, scratch, args.stacks);
    let head: PlanSet;
    if (args.head) {
      if (!fs.existsSync(args.head) || !fs.statSync(args.head).isDirectory()) throw new UsageError(`--head ${args.head} is not a directory of plans: run npm run plan and give its --out (default out)`, 1);
      head = { dir: args.head, label: `--head ${args.head}`, checkFresh: true };
    } else {
      head = { dir: path.join(scratch, "head-out"), label: "this checkout" };
      const files = listStacks(root);
      const stacks = toPlan(files, args.stacks);
      if ((stacks ?? files).length > 0) planTree(root, head.dir, root, stacks);
    }
    const here = projectStacks(root);
    const baseStacks = stacksIn(base);
    const headStacks = stacksIn(head);
    if (baseStacks.length === 0 && !base.stackFiles && !args.allowNewStack) {
      throw new UsageError(`--base ${args.base} holds no plans (no <stack>/plan.json in it): give the --out directory of npm run plan for the base, or a git revision`, 1);
    }
    if (headStacks.length === 0 && args.head) throw new UsageError(`--head ${args.head} holds no plans (no <stack>/plan.json in it): run npm run plan and give its --out (default out)`, 1);
    const stacks = args.stacks.length > 0 ? args.stacks : [...new Set([...here, ...baseStacks, ...headStacks])].sort();
    const diffs = stacks.map((s) => stackDiff(s, base, head, args, root, here));
    const text = args.format === "markdown" ? formatMarkdown(diffs) : args.format === "json" ? JSON.stringify(diffs, null, 2) : formatText(diffs);
    const output = args.output;
    if (output) onFile(output, () => fs.writeFileSync(output, `${text}\n`));
    console.log(text);
    const warnings = diffs.reduce((n, d) => n + d.warnings.length, 0);
    if (warnings > 0 && !args.warnOnly) {
      console.error(`diff: ${warnings} warning${warnings === 1 ? "" : "s"}: a protected resource, namespace, provider or governance resource would be replaced or deleted, or lose its protection; review it, or pass --warn-only to exit 0`);
      return 1;
    }
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

// Run as a command; the tests also call main in their own process (test/support/cli.ts).
if (require.main === module) runMain(main);
