import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { format } from "node:util";
import { ROOT } from "./stacks";

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the offline commands as `npm run <cmd>` does (node with
 * stacks/loader.cjs), in `cwd`, which holds the stack files: a process of its
 * own, for what only a process shows (its exit code, what reaches stderr).
 */
export function runCli(script: string, args: readonly string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, ["-r", path.join(ROOT, "stacks/loader.cjs"), path.join(ROOT, script), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Main = (argv: readonly string[]) => Promise<number>;
// Node's own require, not vitest's: the command and everything it loads come through
// stacks/loader.cjs, as under `npm run`, and its lazy require()s of TypeScript work.
const nodeRequire = createRequire(path.join(ROOT, "package.json"));
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs an offline command's exported `main` in this process, in `cwd`, with what it
 * prints captured and the exit code its process would exit with (`exitCodeOf`, which
 * `runMain` exits with): the same command without the 0.3 s to 1.5 s of CPU a process
 * costs. Runs queue up (the working directory and the console are the process's).
 * Not for what only a process shows: a spin (no timeout can stop it here) or the exit itself.
 */
export function runCliInProcess(script: string, args: readonly string[], cwd: string): Promise<CliResult> {
  const run = queue.then(() => inProcess(script, args, cwd));
  queue = run.catch(() => undefined);
  return run;
}

async function inProcess(script: string, args: readonly string[], cwd: string): Promise<CliResult> {
  nodeRequire(path.join(ROOT, "stacks/loader.cjs"));
  const { main } = nodeRequire(path.join(ROOT, script)) as { main: Main };
  const { exitCodeOf } = nodeRequire(path.join(ROOT, "stacks/offline/args.ts")) as { exitCodeOf: (main: Main, argv: readonly string[]) => Promise<number> };
  const stdout: string[] = [];
  const stderr: string[] = [];
  const { log, error } = console;
  const before = process.cwd();
  console.log = (...a: unknown[]) => void stdout.push(`${format(...a)}\n`);
  console.error = (...a: unknown[]) => void stderr.push(`${format(...a)}\n`);
  process.chdir(cwd);
  try {
    const status = await exitCodeOf(main, args);
    return { status, stdout: stdout.join(""), stderr: stderr.join("") };
  } finally {
    process.chdir(before);
    console.log = log;
    console.error = error;
  }
}
