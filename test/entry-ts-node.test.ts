import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/stacks";
import { POLICY_FACTORIES } from "../policies/pack";

// Pulumi's Node.js host (and its policy-pack host) run TypeScript from the directory of the
// entry: they read the `compilerOptions` of the tsconfig.json found THERE (that file's own,
// not what it extends: @pulumi/pulumi/tsutils.js loadTypeScriptCompilerOptions), lay them over
// their defaults (cmd/run/run.js and cmd/run-policy-pack/run.js: target ES2020, module and
// moduleResolution nodenext, source maps), register the project's ts-node with that tsconfig,
// type-checking on, and `require` the entry; a function export is called. The real CLI found
// the trap once: with no stacks/tsconfig.json, `Object.hasOwn` (ES2022) failed to compile.
//
// Type-checking under ts-node is the same compiler over (a subset of) the files `npm run
// typecheck` checks: the same verdict when the options are the same. So each entry is proved
// in two cheap parts instead of a second full type-check (about 8 s of CPU): the options the
// host hands ts-node equal the project's, emit settings aside; and the entry loads under ts-node
// with exactly those options, in a fresh node, as a function (module format, target).

const HOST_DEFAULTS = { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" };
/** What only changes what is written (or kept between runs), never what the compiler accepts. */
const EMIT_ONLY = new Set(["outDir", "noEmit", "sourceMap", "inlineSourceMap", "inlineSources", "declaration", "configFilePath", "incremental", "tsBuildInfoFile"]);
/** The tsconfig `npm run typecheck` builds (`tsc -b <it>`: skipped when nothing changed since it last passed). */
const TYPECHECK_CONFIG = /^tsc -b (\S+)$/.exec((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.typecheck)?.[1];

/** The compiler options ts-node gets from Pulumi's host run in `dir`, as the host computes them. */
function hostOptions(dir: string): Record<string, unknown> {
  const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions: (p: string) => Record<string, unknown> };
  return { ...HOST_DEFAULTS, ...loadTypeScriptCompilerOptions(path.join(dir, "tsconfig.json")) };
}

/** The options where ts-node under the host in `dir` and `npm run typecheck` differ, emit aside: [name, host's, project's]. */
function optionDrift(dir: string): [string, unknown, unknown][] {
  const ts = require("typescript") as typeof import("typescript");
  const tsNode = require("ts-node") as typeof import("ts-node");
  const host = tsNode.create({ project: path.join(dir, "tsconfig.json"), skipProject: !fs.existsSync(path.join(dir, "tsconfig.json")), compilerOptions: hostOptions(dir), transpileOnly: true, cwd: dir }).config.options;
  if (TYPECHECK_CONFIG === undefined) throw new Error("package.json's typecheck script is not `tsc -b <tsconfig>`");
  const project = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, TYPECHECK_CONFIG), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!.options;
  const keys = [...new Set([...Object.keys(host), ...Object.keys(project)])].filter((k) => !EMIT_ONLY.has(k)).sort();
  return keys.filter((k) => JSON.stringify(host[k]) !== JSON.stringify(project[k])).map((k) => [k, host[k], project[k]]);
}

/** Loads `entry` in a fresh node from `dir` under ts-node registered as the host does, and runs `check` on its exports. */
function loadAsHost(dir: string, entry: string, check: string) {
  const script = `
    require("ts-node").register({ project: "tsconfig.json", transpileOnly: true, compilerOptions: ${JSON.stringify(hostOptions(dir))} });
    const loaded = require(${JSON.stringify(entry)});
    ${check}
  `;
  return spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", timeout: 120_000, env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") } });
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("the Pulumi entry under the host's ts-node", () => {
  const main = path.join(ROOT, (require("yaml") as typeof import("yaml")).parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).main as string);
  const dir = path.dirname(main);

  it("is type-checked with the options npm run typecheck uses", () => {
    expect(optionDrift(dir)).toEqual([]);
  });

  it("would not be with only the extended tsconfig (the trap the real CLI found)", () => {
    const bare = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cache", "entry-"));
    scratch.push(bare);
    fs.writeFileSync(path.join(bare, "tsconfig.json"), JSON.stringify({ extends: path.join(ROOT, "tsconfig.json"), compilerOptions: { noEmit: true } }));
    expect(optionDrift(bare)).toContainEqual(["target", expect.anything(), expect.anything()]);
    const none = fs.mkdtempSync(path.join(os.tmpdir(), "entry-"));
    scratch.push(none);
    expect(optionDrift(none).map(([k]) => k)).toEqual(expect.arrayContaining(["target", "lib", "noUnusedLocals"]));
  });

  it("loads from main's directory with those options and exports the program function", () => {
    const r = loadAsHost(dir, main, `
      if (!(loaded instanceof Function)) { console.error("entry exports " + typeof loaded + ", not a function"); process.exit(3); }
      console.log("entry ok");`);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("entry ok");
    expect(r.status).toBe(0);
  });
});

// The engine runs the policy pack from policies/ the same way. index.ts starts the analyzer
// server, so this loads what it hands to PolicyPack.
describe("the policy pack under the host's ts-node", () => {
  const dir = path.join(ROOT, "policies");

  it("is type-checked with the options npm run typecheck uses", () => {
    expect(optionDrift(dir)).toEqual([]);
  });

  it("loads from its own directory", () => {
    const r = loadAsHost(dir, "./pack.ts", `
      const gates = loaded.qualityGates("mandatory");
      if (!Array.isArray(gates) || gates.length === 0) { console.error("no policies"); process.exit(3); }
      console.log("pack ok: " + gates.length + " policies, version " + require("./package.json").version);`);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(`pack ok: ${POLICY_FACTORIES.length} policies, version 0.1.0`);
    expect(r.status).toBe(0);
  });
});
