import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ROOT } from "./stacks";

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of the offline commands as `npm run <cmd>` does (ts-node, the
 * project's tsconfig), in `cwd`, which holds the stack files.
 */
export function runCli(script: string, args: readonly string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, ["-r", path.join(ROOT, "stacks/loader.cjs"), path.join(ROOT, script), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), NODE_PATH: path.join(ROOT, "node_modules") },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
