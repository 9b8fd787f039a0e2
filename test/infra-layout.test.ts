import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/*
 * The shape every concern under infra/ keeps (docs/design.md, "Layout"): one
 * folder per concern with spec.ts, builders (builders.ts, or a builders/
 * folder with an index.ts), component.ts and index.ts; kebab-case file names;
 * tests in the same path under test/; and the lint rule that keeps concerns
 * from importing each other covering every concern.
 */

const ROOT = path.resolve(__dirname, "..");
const INFRA = path.join(ROOT, "infra");
const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join("/");

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Folders holding a component.ts, as paths under infra/: `delivery`, `addons/argo-rollouts`. */
function concernsOnDisk(): string[] {
  return walk(INFRA)
    .filter((f) => path.basename(f) === "component.ts")
    .map((f) => path.relative(INFRA, path.dirname(f)).split(path.sep).join("/"))
    .sort();
}

/** Problems with the shape of the concern folder `<base>/<concern>`; none for a well-formed one. */
function shapeProblems(concern: string, base = INFRA): string[] {
  const dir = path.join(base, concern);
  const has = (f: string) => fs.existsSync(path.join(dir, f));
  const problems = ["spec.ts", "component.ts", "index.ts"].filter((f) => !has(f)).map((f) => `${concern}: no ${f}`);
  if (has("builders.ts") === has("builders/index.ts")) problems.push(`${concern}: needs exactly one of builders.ts and builders/index.ts`);
  // The public surface is the component and the spec's types; builders are imported by path where needed.
  const index = has("index.ts") ? fs.readFileSync(path.join(dir, "index.ts"), "utf8") : "";
  for (const [, from] of index.matchAll(/from "([^"]+)"/g)) {
    if (from !== "./component" && from !== "./spec") problems.push(`${concern}/index.ts re-exports ${from}: only ./component and ./spec`);
  }
  return problems;
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*$/;

describe("infra/ concerns", () => {
  it("are the folders of the expected shape, and the catalogue holds no component", () => {
    const concerns = concernsOnDisk();
    expect(concerns).toEqual([
      "addons/argo-rollouts",
      "addons/cert-manager",
      "addons/kube-prometheus-stack",
      "addons/log-shipper",
      "addons/loki",
      "api-key",
      "delivery",
      "deployer",
      "environment",
      "governance",
      "ingress",
      "observability",
      "registry",
    ]);
    expect(concerns.flatMap((c) => shapeProblems(c))).toEqual([]);
  });

  it("the shape check can fail: a folder without builders or with a wide index is reported", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "infra-shape-"));
    try {
      fs.mkdirSync(path.join(base, "probe"));
      fs.writeFileSync(path.join(base, "probe", "component.ts"), "");
      fs.writeFileSync(path.join(base, "probe", "index.ts"), 'export * from "./builders";\n');
      expect(shapeProblems("probe", base)).toEqual([
        "probe: no spec.ts",
        "probe: needs exactly one of builders.ts and builders/index.ts",
        "probe/index.ts re-exports ./builders: only ./component and ./spec",
      ]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it("name every file in kebab-case, as do the tests that mirror them", () => {
    const mirrored = ["catalogue", ...concernsOnDisk()].map((c) => path.join(ROOT, "test", c)).filter((d) => fs.existsSync(d));
    const files = [...walk(INFRA), ...mirrored.flatMap(walk)];
    expect(files.length).toBeGreaterThan(40);
    expect(files.filter((f) => !KEBAB.test(path.basename(f))).map(rel)).toEqual([]);
    expect(KEBAB.test("podTemplate.ts")).toBe(false);
  });
});

describe("tests", () => {
  // test/ mirrors infra/ by concern path, stacks/ by its folders, and the root's policies/ and e2e/;
  // live/ (the live tier), support/ (shared helpers) and golden/ (golden.test.ts's files) mirror
  // nothing, and a fixtures/ folder holds the data of the tests beside it.
  const HELPERS = new Set(["live", "support", "golden"]);
  const mirrored = (d: string) => [INFRA, path.join(ROOT, "stacks"), ROOT].some((base) => fs.existsSync(path.join(base, d.replace(/\/fixtures$/, ""))));

  it("live in the folder of the source they test", () => {
    const testDirs = [...new Set(walk(path.join(ROOT, "test")).map((f) => path.relative(path.join(ROOT, "test"), path.dirname(f)).split(path.sep).join("/")))];
    const strays = testDirs.filter((d) => d !== "" && !HELPERS.has(d.split("/")[0]) && !mirrored(d));
    expect(strays).toEqual([]);
    expect(mirrored("drift/fixtures")).toBe(true);
    expect(mirrored("no-such-source")).toBe(false);
  });
});

describe("the lint rule between concerns", () => {
  it("refuses, in every concern and in the catalogue, an import of every other concern", async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const concerns = concernsOnDisk();
    const from = [...concerns, "catalogue"];
    const unflagged: string[] = [];
    for (const source of from) {
      const others = concerns.filter((c) => c !== source);
      const depth = source.split("/").length;
      const up = "../".repeat(depth);
      const code = others.map((o, i) => `import * as m${i} from "${up}${o}/spec";\nexport const e${i} = m${i};\n`).join("");
      const [result] = await eslint.lintText(code, { filePath: path.join(INFRA, source, "zz-probe.ts") });
      const flagged = new Set(result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.line));
      others.forEach((o, i) => {
        if (!flagged.has(2 * i + 1)) unflagged.push(`${source} -> ${o}`);
      });
    }
    expect(unflagged).toEqual([]);
  });

  it("lets a concern import the catalogue, its own folder and packages named like a concern", async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const code = [
      'import { APP } from "../catalogue/names";',
      'import type { DeliverySpec } from "./spec";',
      'import type { IRollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";',
      "export const x: [string, DeliverySpec?, IRollout?] = [APP];",
    ].join("\n");
    const [result] = await eslint.lintText(code, { filePath: path.join(INFRA, "delivery", "zz-probe.ts") });
    expect(result.messages.filter((m) => m.ruleId === "no-restricted-imports")).toEqual([]);
  });
});
