import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/stacks";
import { POLICY_FACTORIES } from "../policies/pack";

// Pulumi's Node.js host runs the program from the directory of Pulumi.yaml's
// `main`, registers the project's own ts-node with the `tsconfig.json` it finds
// THERE (type-checking on; without one, its own ES2020 defaults), and
// `require`s the entry; if the export is a function it calls it. vitest's own
// transform would hide a target or module-format mistake, so this loads the
// program exactly that way, in a fresh node. The real CLI found this once: with
// no stacks/tsconfig.json, `Object.hasOwn` (ES2022) failed to compile.
describe("the Pulumi entry under ts-node", () => {
  it("loads from main's directory with the tsconfig found there, type-checked, and exports the program function", () => {
    const main = require("yaml").parse(require("node:fs").readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).main as string;
    const script = `
      require("ts-node").register({ project: "tsconfig.json", transpileOnly: false });
      const program = require(${JSON.stringify(path.join(ROOT, main))});
      if (!(program instanceof Function)) { console.error("entry exports " + typeof program + ", not a function"); process.exit(3); }
      console.log("entry ok");
    `;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: path.dirname(path.join(ROOT, main)), encoding: "utf8", timeout: 120_000, env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") } });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("entry ok");
    expect(r.status).toBe(0);
  });
});

// The engine runs the policy pack from policies/ the same way: ts-node with
// type-checking and the pack's tsconfig. index.ts starts the analyzer server,
// so this loads what it hands to PolicyPack.
describe("the policy pack under ts-node", () => {
  it("type-checks and loads from its own directory", () => {
    const script = `
      require("ts-node").register({ typeCheck: true, project: "tsconfig.json" });
      const pack = require("./pack.ts");
      const gates = pack.qualityGates("mandatory");
      if (!Array.isArray(gates) || gates.length === 0) { console.error("no policies"); process.exit(3); }
      console.log("pack ok: " + gates.length + " policies, version " + require("./package.json").version);
    `;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: path.join(ROOT, "policies"), encoding: "utf8", timeout: 120_000, env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") } });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(`pack ok: ${POLICY_FACTORIES.length} policies, version 0.1.0`);
    expect(r.status).toBe(0);
  });
});
