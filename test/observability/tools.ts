import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "vitest";
import { stringify } from "yaml";

/*
 * Prometheus's and Alertmanager's own checkers, run as the programs CI runs.
 * Missing on a developer's machine they skip; missing in CI they fail, since a
 * green run there must mean the rules were really checked.
 */

export const INSTALL_HINT = "apt-get install prometheus prometheus-alertmanager";

export function hasTool(tool: string): boolean {
  const probe = spawnSync(tool, ["--version"], { encoding: "utf8" });
  return probe.error === undefined && probe.status === 0;
}

/** `describe` that needs `tool` on the PATH. */
export function describeWithTool(tool: string, name: string, body: () => void): void {
  if (hasTool(tool)) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it(`needs ${tool}`, () => {
        throw new Error(`${tool} is not installed, and CI must run it: ${INSTALL_HINT}`);
      });
    });
  } else {
    describe.skip(`${name} (${tool} not installed: ${INSTALL_HINT})`, body);
  }
}

export interface ToolRun {
  readonly ok: boolean;
  readonly stdout: string;
  /** stdout and stderr together: what a developer would read. */
  readonly output: string;
}

/** Runs `tool` in `cwd`; `input`, when given, is its standard input (`promtool check metrics` reads it there). */
export function run(tool: string, args: readonly string[], cwd: string, input?: string): ToolRun {
  const result = spawnSync(tool, [...args], { cwd, encoding: "utf8", timeout: 60_000, ...(input === undefined ? {} : { input }) });
  if (result.error) throw result.error;
  return { ok: result.status === 0, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

/** A fresh directory with the given documents written as YAML (strings as they are). */
export function writeFiles(files: Readonly<Record<string, unknown>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-observability-"));
  for (const [name, doc] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof doc === "string" ? doc : stringify(doc, { lineWidth: 0 }));
  }
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
