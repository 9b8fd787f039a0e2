import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { PROJECT } from "../../infra/catalogue/names";
import { PlatformConfig, RawStackConfig, parseStackConfig } from "../../stacks/config/parse";
import { Plan, planStack } from "../../stacks/offline/run";
import { listStacks, readStackFile } from "../../stacks/offline/stack-file";

/** The repository root: where Pulumi.yaml and the stack files are. */
export const ROOT = path.resolve(__dirname, "../..");
/** Every committed stack, from the `Pulumi.<stack>.yaml` files: a new environment is one file. */
export const DEFAULT_STACKS: readonly string[] = listStacks(ROOT);

/** A stack file's `config:` map, as parsed YAML, to edit in a test. */
export type StackDoc = { config: Record<string, unknown> };

/**
 * Parses of a stack file's text and reads of a stack file, made once per worker: both are pure
 * functions of the file's text (a few hundred of them in a run, most of the same few files).
 * Keyed by the text itself; each caller gets its own copy to edit.
 */
const parsedDocs = new Map<string, StackDoc>();
const raws = new Map<string, RawStackConfig>();
function rawOnce(stack: string, text: string, read: () => RawStackConfig): RawStackConfig {
  const key = `${stack}\0${text}`;
  let raw = raws.get(key);
  if (raw === undefined) {
    // A failed read is not kept: it throws to every caller afresh.
    raw = read();
    raws.set(key, raw);
  }
  return structuredClone(raw);
}

export function loadStackDoc(stack: string): StackDoc {
  const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
  let doc = parsedDocs.get(text);
  if (doc === undefined) {
    doc = parse(text) as StackDoc;
    parsedDocs.set(text, doc);
  }
  return structuredClone(doc);
}

const committed = new Map<string, PlatformConfig>();

/**
 * A committed stack's config, parsed as the program parses it (parsed once per
 * stack): what the slice fixtures start from, so they never retype a stack file.
 */
export function committedConfig(stack: string): PlatformConfig {
  // Each caller gets its own copy: one test's edit must not change the next one's config.
  const cached = committed.get(stack);
  if (cached !== undefined) return structuredClone(cached);
  const config = parseStackConfig(readStackFile(ROOT, stack));
  committed.set(stack, config);
  return structuredClone(config);
}

/** Staging's file with qa's own names (environment, namespace, GitHub environment), as a user copies it. */
export function qaCopy(): StackDoc {
  const doc = loadStackDoc("staging");
  doc.config[`${PROJECT}:environment`] = "qa";
  cfg(doc, "namespace").name = "agent-hive-qa";
  cfg(doc, "github").environment = "qa";
  return doc;
}

/** qaCopy made to stand beside staging: develop is staging's to protect, the add-ons are staging's cluster's. */
export function qaBesideStaging(): StackDoc {
  const doc = qaCopy();
  cfg(doc, "github").protectDeployBranch = false;
  for (const addon of Object.values(cfg(doc, "addons"))) (addon as Record<string, unknown>).install = false;
  // Staging's cert-manager creates the cluster's ACME issuer; qa names it instead of creating another.
  delete (cfg(doc, "addons").certManager as Record<string, unknown>).acme;
  (cfg(doc, "ingress").tls as Record<string, unknown>).clusterIssuer = "letsencrypt";
  return doc;
}

/** The config map of a stack doc, with its keys un-prefixed for brevity. */
export function cfg(doc: StackDoc, key: string): Record<string, unknown> {
  return doc.config[`${PROJECT}:${key}`] as Record<string, unknown>;
}

/**
 * Writes stack docs into a fresh temporary project directory and returns it:
 * what a user does when they add `Pulumi.<name>.yaml`.
 */
export function tempProject(docs: Record<string, StackDoc>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-"));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const [stack, doc] of Object.entries(docs)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(doc));
  return dir;
}

/** The raw config of an edited stack doc, as the CLI would hand it to the program. */
export function rawFromDoc(stack: string, doc: StackDoc): RawStackConfig {
  return rawOnce(stack, stringify(doc), () => {
    const dir = tempProject({ [stack]: doc });
    try {
      return readStackFile(dir, stack);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * The program's plan of a raw config, made once per worker: planning is the suite's most
 * repeated work (the same committed stack was planned by a dozen tests in several files).
 * The plan is a pure function of the raw config the program receives, so the key is that
 * config; each caller gets its own copy, so a test that edits its plan cannot change another's.
 */
const plans = new Map<string, Promise<Plan>>();
function planOnce(raw: RawStackConfig): Promise<Plan> {
  const key = JSON.stringify([
    raw.stack,
    Object.entries(raw.values).sort(([a], [b]) => a.localeCompare(b)),
    [...raw.secretKeys].sort(),
    Object.entries(raw.secretFingerprints ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  let plan = plans.get(key);
  if (plan === undefined) {
    plan = planStack(raw);
    plans.set(key, plan);
    // A failed plan is not kept: the next caller sees the failure afresh.
    plan.catch(() => plans.delete(key));
  }
  return plan.then((p) => structuredClone(p));
}

/** Plans a committed stack through the one shared recorder (the same mocks `npm run plan` uses). */
export function planCommitted(stack: string): Promise<Plan> {
  const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
  return planOnce(rawOnce(stack, fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "\0missing", () => readStackFile(ROOT, stack)));
}

/** Plans an edited stack doc. Secret values are given in plain text here and passed as secrets. */
export function planDoc(stack: string, doc: StackDoc, secrets: Record<string, string> = {}): Promise<Plan> {
  const raw = rawFromDoc(stack, doc);
  const values = { ...raw.values };
  const secretKeys = new Set(raw.secretKeys);
  for (const [key, value] of Object.entries(secrets)) {
    values[`${PROJECT}:${key}`] = value;
    secretKeys.add(`${PROJECT}:${key}`);
  }
  return planOnce({ stack, values, secretKeys });
}

export function resourcesOfType(plan: Plan, type: string) {
  return plan.resources.filter((r) => r.type === type);
}
