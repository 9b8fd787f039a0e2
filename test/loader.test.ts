import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/stacks";

const LOADER = path.join(ROOT, "stacks", "loader.cjs");
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Runs `script` (a file's text) under the loader, as `npm run` runs the commands. */
function underLoader(script: string, env: NodeJS.ProcessEnv = {}) {
  const dir = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cache", "loader-test-"));
  scratch.push(dir);
  fs.writeFileSync(path.join(dir, "script.js"), script);
  const r = spawnSync(process.execPath, ["-r", LOADER, path.join(dir, "script.js")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  expect(r.status, r.stderr).toBe(0);
  return { dir, out: r.stdout.trim() };
}

describe("stacks/loader.cjs", () => {
  // What only closure serialisation, the Automation API or a real engine's gRPC need is loaded
  // when first used, and then works as it would have.
  it("loads the SDK without gRPC, the Automation API or the closure serialiser, and each still works when touched", () => {
    const { out } = underLoader(`
      const loaded = (re) => Object.keys(require.cache).filter((f) => re.test(f)).length;
      const KINDS = { grpc: /@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/](?!index\\.js)/, automation: /[\\/]execa[\\/]|[\\/]automation[\\/]stack\\.js$/, closure: /[\\/]fdir[\\/]|[\\/]normalize-package-data[\\/]|[\\/]closure[\\/]createClosure\\.js$/ };
      const count = () => Object.fromEntries(Object.entries(KINDS).map(([k, re]) => [k, loaded(re)]));
      const pulumi = require("@pulumi/pulumi");
      const before = count();
      const works = {
        grpc: require("@grpc/grpc-js").status.UNAVAILABLE,
        automation: typeof pulumi.automation.LocalWorkspace.create,
        closure: typeof pulumi.runtime.computeCodePaths,
      };
      console.log(JSON.stringify({ before, works, after: count(), serialised: typeof require("@pulumi/pulumi/runtime/closure/codePaths.js").computeCodePaths }));
    `);
    const r = JSON.parse(out) as { before: Record<string, number>; works: Record<string, unknown>; after: Record<string, number>; serialised: string };
    expect(r.before).toEqual({ grpc: 0, automation: 0, closure: 0 });
    expect(r.works).toEqual({ grpc: 14, automation: "function", closure: "function" });
    expect(r.after.grpc).toBeGreaterThan(0);
    expect(r.after.automation).toBeGreaterThan(0);
    expect(r.serialised).toBe("function");
  });

  // The resolutions are remembered in a file of their own for each NODE_PATH: a NODE_PATH no
  // other run uses gives this test a file no other process writes.
  it("remembers where a package was found, and looks again when the remembered file is gone", () => {
    const cache = path.join(ROOT, "node_modules", ".cache", "resolved");
    const known = () => new Set(fs.existsSync(cache) ? fs.readdirSync(cache) : []);
    const before = known();
    const env = { NODE_PATH: path.join(ROOT, "node_modules", ".cache", `no-such-dir-${process.pid}-${Date.now()}`) };
    const script = `console.log(require("yaml").remembered ?? require.resolve("yaml"));`;
    const first = underLoader(script, env);
    expect(first.out).toBe(require.resolve("yaml"));
    const ours = [...known()].filter((f) => !before.has(f) && f.endsWith(".json"));
    expect(ours).toHaveLength(1);
    const file = path.join(cache, ours[0]);
    scratch.push(file);
    const entries = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
    expect(entries[`${first.dir}\0yaml`]).toBe(require.resolve("yaml"));

    // Another script in another directory: point that directory's entry elsewhere.
    const stub = path.join(first.dir, "stub.js");
    fs.writeFileSync(stub, `module.exports = { remembered: "the remembered file" };`);
    const rewrite = (dir: string, target: string) => fs.writeFileSync(file, JSON.stringify({ ...entries, [`${dir}\0yaml`]: target }));
    const probe = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cache", "loader-test-"));
    scratch.push(probe);
    fs.writeFileSync(path.join(probe, "script.js"), script);
    const run = () => spawnSync(process.execPath, ["-r", LOADER, path.join(probe, "script.js")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } }).stdout.trim();
    rewrite(probe, stub);
    expect(run()).toBe("the remembered file");
    rewrite(probe, path.join(probe, "gone.js"));
    expect(run()).toBe(require.resolve("yaml"));
  });

  // V8's code is kept per module under a hash of the module's text: an edit that keeps the
  // length (all V8 checks) and the file's time still runs the new text. The kept file of this
  // test's flags is removed with it.
  it("runs a module from its kept code, and an edited one from its new text, with its own line numbers", () => {
    const dir = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cache", "loader-test-"));
    scratch.push(dir);
    const mod = path.join(dir, "mod.js");
    const write = (value: number) => {
      fs.writeFileSync(mod, `"use strict";\nexports.value = ${value};\nexports.fail = () => { throw new Error("line 3"); };\n`);
      fs.utimesSync(mod, new Date(2026, 0, 1), new Date(2026, 0, 1));
    };
    fs.writeFileSync(path.join(dir, "script.js"), `const m = require("./mod.js"); let at = ""; try { m.fail(); } catch (e) { at = e.stack.split("\\n")[1].trim(); } console.log(JSON.stringify({ value: m.value, at }));`);
    const run = () => {
      // A flag of its own (a harmless one) gives this test a file of kept code no other process writes.
      const r = spawnSync(process.execPath, [`--max-http-header-size=${16384 + (process.pid % 10000)}`, "-r", LOADER, path.join(dir, "script.js")], { cwd: ROOT, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { value: number; at: string };
    };
    const store = path.join(ROOT, "node_modules", ".cache", "v8");
    const holding = () =>
      fs.readdirSync(store).filter((f) => {
        if (!f.endsWith(".bin")) return false;
        const saved = fs.readFileSync(path.join(store, f));
        return mod in (JSON.parse(saved.toString("utf8", 4, 4 + saved.readUInt32LE(0))) as Record<string, unknown>);
      });
    const kept = () => {
      const files = holding();
      scratch.push(...files.map((f) => path.join(store, f)));
      return files.length === 1;
    };
    write(1);
    expect(run()).toEqual({ value: 1, at: expect.stringMatching(/mod\.js:3:\d+\)$/) });
    expect(kept()).toBe(true);
    // V8 takes the kept code: the second run compiles nothing, so it writes nothing.
    const [file] = holding();
    fs.utimesSync(path.join(store, file), new Date(2026, 0, 1), new Date(2026, 0, 1));
    const before = fs.statSync(path.join(store, file)).mtimeMs;
    expect(run().value).toBe(1);
    expect(fs.statSync(path.join(store, file)).mtimeMs).toBe(before);
    write(2);
    expect(run()).toEqual({ value: 2, at: expect.stringMatching(/mod\.js:3:\d+\)$/) });

    // The next run that keeps code drops what was kept for a file that is gone.
    fs.renameSync(mod, path.join(dir, "moved.js"));
    fs.writeFileSync(path.join(dir, "script.js"), `const m = require("./moved.js"); console.log(JSON.stringify({ value: m.value, at: "" }));`);
    expect(run().value).toBe(2);
    expect(holding()).toEqual([]);
  });

  // Where Node's loader does more than compile a CommonJS function, the module is left to it.
  it("leaves Node its own compiling where it does more: import() works on every run, and a .js file of ES module syntax loads", () => {
    const dir = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cache", "loader-test-"));
    scratch.push(dir);
    fs.writeFileSync(path.join(dir, "esm.mjs"), `export const x = 1;\n`);
    fs.writeFileSync(path.join(dir, "syntax.js"), `export const y = 2;\n`);
    fs.writeFileSync(path.join(dir, "dynamic.js"), `exports.load = () => import("./esm.mjs");\n`);
    const script = `require("./dynamic.js").load().then((m) => console.log(JSON.stringify({ x: m.x, y: require("./syntax.js").y })), (e) => { console.error(e.code ?? e.message); process.exit(3); });`;
    fs.writeFileSync(path.join(dir, "script.js"), script);
    const run = (withLoader: boolean) => spawnSync(process.execPath, [...(withLoader ? ["-r", LOADER] : []), path.join(dir, "script.js")], { cwd: ROOT, encoding: "utf8" });
    const bare = run(false);
    expect(bare.status, bare.stderr).toBe(0);
    for (let i = 0; i < 2; i++) {
      const r = run(true);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(bare.stdout);
    }
    expect(JSON.parse(bare.stdout)).toEqual({ x: 1, y: 2 });
  });
});
