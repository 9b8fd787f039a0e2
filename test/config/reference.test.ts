import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PROJECT } from "../../infra/catalogue/names";
import { stackConfigSchema } from "../../stacks/config/schema";
import { SECRET_KEYS } from "../../stacks/config/secrets";
import { OUT_OF_DATE, REFERENCE_END, REFERENCE_START, configReference, referenceProblem, referenceRows, spliceReference } from "../../stacks/config/reference";
import { runCli } from "../support/cli";
import { ROOT } from "../support/stacks";

const DOC_PATH = path.join(ROOT, "docs", "configuration.md");
const committed = () => fs.readFileSync(DOC_PATH, "utf8");

/** The generated section of a doc, markers included. */
function sectionOf(doc: string): string {
  const start = doc.indexOf(REFERENCE_START);
  const end = doc.indexOf(REFERENCE_END);
  if (start === -1 || end === -1) throw new Error("the doc has no reference markers");
  return doc.slice(start, end + REFERENCE_END.length);
}

/** The key column of the reference's first table: `| `key` | ...`. */
function keysIn(section: string): string[] {
  const table = section.slice(0, section.indexOf("Secret keys"));
  return [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
}

/**
 * Every leaf key the schema accepts, found by walking the zod schema itself
 * (not its JSON Schema, which the generator reads): objects by their shape,
 * lists as `key[]`, wrappers (default, optional, pipe) unwrapped.
 */
function zodLeaves(schema: z.ZodType, prefix = ""): string[] {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else break;
  }
  if (s instanceof z.ZodObject) return Object.entries(s.shape).flatMap(([k, v]) => zodLeaves(v as z.ZodType, prefix === "" ? k : `${prefix}.${k}`));
  if (s instanceof z.ZodArray && (s.element as z.ZodType) instanceof z.ZodObject) return zodLeaves(s.element as z.ZodType, `${prefix}[]`);
  return [prefix];
}

/** A row of a rendered table, by its key. */
function rowOf(section: string, key: string): string[] {
  const line = section.split("\n").find((l) => l.startsWith(`| \`${key}\` |`));
  if (line === undefined) throw new Error(`no row for ${key}`);
  return line
    .slice(2, -2)
    .split(/ (?<!\\)\| /)
    .map((c) => c.trim());
}

describe("the config reference in docs/configuration.md", () => {
  it("is exactly what the schema generates (run npm run docs:config after changing the schema)", () => {
    const doc = committed();
    expect(sectionOf(doc)).toBe(configReference());
    expect(referenceProblem(doc)).toBeUndefined();
  });

  it("lists every leaf key the schema accepts, each once", () => {
    const leaves = zodLeaves(stackConfigSchema);
    const keys = keysIn(configReference());
    // The walk reaches deep keys, so the comparison is not between two empty lists.
    expect(leaves).toContain("observability.notifications.repeatInterval.critical");
    expect(leaves).toContain("delivery.canary.steps[].pauseSeconds");
    expect(leaves.filter((k) => !keys.includes(k))).toEqual([]);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    // ...and nothing the schema does not accept.
    expect(keys.filter((k) => !leaves.some((leaf) => leaf === k || leaf.startsWith(`${k}.`) || leaf.startsWith(`${k}[].`)))).toEqual([]);
  });

  it("lists every secret key of SECRET_KEYS with its description and when a stack needs it", () => {
    const section = configReference();
    for (const spec of SECRET_KEYS) expect(rowOf(section, spec.key)[2]).toBe(spec.description);
    expect(rowOf(section, "slackWebhookCritical")[1]).toMatch(/^required for .*routing: bySeverity/);
    expect(rowOf(section, "slackWebhookAlerts")[1]).toMatch(/^required for .*routing: single/);
    expect(rowOf(section, "snykToken")[1]).toMatch(/owns repository settings/);
    expect(rowOf(section, "kubeconfig")[1]).toBe("optional");
  });

  it("explains the project prefix once and keeps the hand-written prose around the markers", () => {
    const doc = committed();
    const section = sectionOf(doc);
    expect(section.split(`${PROJECT}:<key>`)).toHaveLength(2);
    expect(doc.slice(0, doc.indexOf(REFERENCE_START))).toMatch(/^# Stack config reference/);
    expect(doc.slice(doc.indexOf(REFERENCE_END))).toMatch(/## What else the parser refuses/);
  });

  it("takes defaults, bounds and allowed values from the schema", () => {
    const section = configReference();
    expect(rowOf(section, "namespace.quota.services").slice(1, 3)).toEqual(["integer 1–2147483647", "`20`"]);
    expect(rowOf(section, "services[].replicas").slice(1, 3)).toEqual(["integer 1–1000", "required"]);
    expect(rowOf(section, "delivery.strategy")[1]).toBe("`canary` or `blueGreen`");
    expect(rowOf(section, "github.deployBranch")[1]).toBe("`develop` or `main`");
    expect(rowOf(section, "observability.alerts.lowAgentCount.severity")[2]).toBe("`critical`");
    expect(rowOf(section, "slo.latencyP95Seconds")[1]).toBe("number > 0, ≤ 60");
    expect(rowOf(section, "delivery.canary.steps[].setWeight")[2]).toBe("required in `delivery.canary`");
    // A container that defaults to more than its keys' defaults shows it: the Pushgateway is installed unless told otherwise.
    expect(rowOf(section, "addons.pushgateway")[2]).toBe('`{"install":true,"namespace":"pushgateway","storageSize":"1Gi"}`');
    expect(rowOf(section, "namespace.network")[2]).toBe("optional");
  });
});

describe("the reference check fails when doc and schema disagree", () => {
  it("reports a hand edit inside the generated section", () => {
    const doc = committed();
    const edited = doc.replace("| `namespace.protect` | boolean | `false` |", "| `namespace.protect` | boolean | `true` |");
    expect(edited).not.toBe(doc);
    expect(referenceProblem(edited)).toBe(OUT_OF_DATE);
  });

  it("reports a schema change: a new key, a changed default, a changed description", () => {
    const doc = committed();
    const withKey = stackConfigSchema.extend({ colour: z.string().describe("A new key.") });
    expect(keysIn(configReference(withKey))).toContain("colour");
    expect(referenceProblem(doc, configReference(withKey))).toBe(OUT_OF_DATE);

    const slo = stackConfigSchema.shape.slo.extend({ rateWindow: z.string().default("10m").describe("The window every rate is taken over.") }).describe("SLOs.");
    const changed = configReference(stackConfigSchema.extend({ slo }));
    expect(rowOf(changed, "slo.rateWindow").slice(2)).toEqual(["`10m`", "The window every rate is taken over."]);
    expect(referenceProblem(doc, changed)).toBe(OUT_OF_DATE);
  });

  it("refuses a schema key without a description, naming it", () => {
    expect(() => referenceRows(stackConfigSchema.extend({ colour: z.string() }))).toThrow(/without a description.*: colour$/);
    expect(() => configReference(z.strictObject({ a: z.strictObject({ b: z.boolean().describe("b") }) }))).toThrow(/: a$/);
  });

  it("refuses a doc without its markers instead of guessing where the reference goes", () => {
    expect(() => spliceReference("# no markers\n", configReference())).toThrow(/config-reference:start/);
    expect(() => spliceReference(`${REFERENCE_END}\n${REFERENCE_START}\n`, configReference())).toThrow(/once each/);
  });

  it("leaves the prose outside the markers as it is", () => {
    const doc = `# Title\n\nintro\n\n${REFERENCE_START}\nold\n${REFERENCE_END}\n\noutro\n`;
    expect(spliceReference(doc, `${REFERENCE_START}\nnew\n${REFERENCE_END}`)).toBe(`# Title\n\nintro\n\n${REFERENCE_START}\nnew\n${REFERENCE_END}\n\noutro\n`);
  });
});

describe("npm run docs:config", () => {
  it("--check passes on the committed doc and fails with the fix on an altered one, writing nothing", () => {
    expect(runCli("stacks/config/reference-cli.ts", ["--check"], ROOT)).toMatchObject({ status: 0, stderr: "" });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-reference-"));
    try {
      fs.mkdirSync(path.join(dir, "docs"));
      const stale = committed().replace("| `namespace.protect` |", "| `namespace.protected` |");
      fs.writeFileSync(path.join(dir, "docs", "configuration.md"), stale);
      const r = runCli("stacks/config/reference-cli.ts", ["--check"], dir);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe("docs/configuration.md is out of date: run npm run docs:config");
      expect(fs.readFileSync(path.join(dir, "docs", "configuration.md"), "utf8")).toBe(stale);

      // Without --check it writes the reference back: the committed doc again.
      expect(runCli("stacks/config/reference-cli.ts", [], dir).status).toBe(0);
      expect(fs.readFileSync(path.join(dir, "docs", "configuration.md"), "utf8")).toBe(committed());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
