import { z } from "zod";
import { PROJECT } from "../../infra/catalogue/names";
import { SLACK_ROUTINGS } from "../../infra/catalogue/slack";
import { stackConfigSchema } from "./schema";
import { SECRET_KEYS, SecretKeySpec } from "./secrets";

/**
 * The config reference in docs/configuration.md, generated from the schema's
 * own descriptions, titles, bounds and defaults (through its JSON Schema) and
 * from the secret keys' table, so the reference cannot drift from what the
 * parser accepts. Pure: `npm run docs:config` writes it, a test compares it.
 */

export const REFERENCE_START = "<!-- config-reference:start -->";
export const REFERENCE_END = "<!-- config-reference:end -->";
export const REFERENCE_DOC = "docs/configuration.md";
export const OUT_OF_DATE = `${REFERENCE_DOC} is out of date: run npm run docs:config`;

/** The part of a JSON Schema (draft 2020-12, as zod writes it) the reference reads. */
interface JsonNode {
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly properties?: Readonly<Record<string, JsonNode>>;
  readonly required?: readonly string[];
  readonly items?: JsonNode;
  readonly propertyNames?: JsonNode;
  readonly additionalProperties?: JsonNode | boolean;
  readonly anyOf?: readonly JsonNode[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
}

export interface ReferenceRow {
  /** The key's path below the project prefix: `namespace.quota.pods`, `services[].name`. */
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
}

/** zod's bounds of a whole number when none is set: not a fact of the config. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

const code = (text: string) => `\`${text}\``;
const shown = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function numberType(node: JsonNode): string {
  const lo = node.minimum !== undefined && node.minimum > -UNBOUNDED ? node.minimum : undefined;
  const hi = node.maximum !== undefined && node.maximum < UNBOUNDED ? node.maximum : undefined;
  if (lo !== undefined && hi !== undefined) return `${node.type} ${lo}–${hi}`;
  const bounds = [
    lo !== undefined ? `≥ ${lo}` : undefined,
    node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : undefined,
    hi !== undefined ? `≤ ${hi}` : undefined,
    node.exclusiveMaximum !== undefined ? `< ${node.exclusiveMaximum}` : undefined,
  ].filter((b) => b !== undefined);
  return [node.type, bounds.join(", ")].filter((p) => p !== "").join(" ");
}

function stringType(node: JsonNode): string {
  const base = node.title ?? (node.format === "uri" ? "URL" : "string");
  const { minLength: min, maxLength: max } = node;
  if (max !== undefined) return `${base} (${min !== undefined && min > 0 ? `${min}–${max}` : `at most ${max}`} characters)`;
  return min !== undefined && min > 0 ? `${base} (not empty)` : base;
}

/** What a value of this node is, in words: its title, enum, bounds or shape. */
function typeOf(node: JsonNode): string {
  if (node.enum !== undefined) return node.enum.map((v) => code(shown(v))).join(" or ");
  if (node.anyOf !== undefined) return node.anyOf.map(typeOf).join(" or ");
  switch (node.type) {
    case "boolean":
      return "boolean";
    case "integer":
    case "number":
      return numberType(node);
    case "string":
      return stringType(node);
    case "array": {
      const item = node.items === undefined ? "values" : node.items.type === "object" && node.items.properties ? "objects" : typeOf(node.items);
      return `list of ${item}${node.minItems !== undefined && node.minItems > 0 ? `, at least ${node.minItems}` : ""}`;
    }
    case "object":
      if (node.properties !== undefined) return "object";
      if (typeof node.additionalProperties === "object") return `map of ${typeOf(node.propertyNames ?? { type: "string" })} to ${typeOf(node.additionalProperties)}`;
      return "object";
    default:
      return node.title ?? "any";
  }
}

const isContainer = (node: JsonNode) => node.type === "object" && node.properties !== undefined;

/** The value a container takes from its keys' own defaults when it is absent. */
function keyDefaults(node: JsonNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, child] of Object.entries(node.properties ?? {})) if (child.default !== undefined) out[k] = child.default;
  return out;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}

/**
 * The default column: the schema's default, or whether the key must be set. A
 * container whose default is just its keys' defaults is "optional"; a key
 * required inside an optional container says which.
 */
function defaultOf(node: JsonNode, required: boolean, optionalAncestor: string | undefined): string {
  if (node.default !== undefined) {
    if (isContainer(node) && (sameJson(node.default, {}) || sameJson(node.default, keyDefaults(node)))) return "optional";
    return code(shown(node.default));
  }
  if (!required) return "optional";
  return optionalAncestor === undefined ? "required" : `required in ${code(optionalAncestor)}`;
}

/** Markdown table cells: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");

/**
 * Every key of the schema, parents before their keys, in the schema's order.
 * Throws when a key has no description: the reference would have a hole.
 */
export function referenceRows(schema: z.ZodType = stackConfigSchema): ReferenceRow[] {
  const root = z.toJSONSchema(schema, { io: "input" }) as JsonNode;
  const rows: ReferenceRow[] = [];
  const undescribed: string[] = [];
  const visit = (node: JsonNode, key: string, required: boolean, optionalAncestor: string | undefined) => {
    if (node.description === undefined || node.description.trim() === "") undescribed.push(key);
    rows.push({ key, type: typeOf(node), default: defaultOf(node, required, optionalAncestor), description: node.description ?? "" });
    const inner = required && optionalAncestor === undefined ? undefined : (optionalAncestor ?? key);
    if (isContainer(node)) visitKeys(node, `${key}.`, inner);
    else if (node.type === "array" && node.items !== undefined && isContainer(node.items)) visitKeys(node.items, `${key}[].`, inner);
  };
  const visitKeys = (node: JsonNode, prefix: string, optionalAncestor: string | undefined) => {
    const required = new Set(node.required ?? []);
    for (const [k, child] of Object.entries(node.properties ?? {})) visit(child, `${prefix}${k}`, required.has(k), optionalAncestor);
  };
  visitKeys(root, "", undefined);
  if (undescribed.length > 0) throw new Error(`config keys without a description (add .describe() in stacks/config/schema.ts): ${undescribed.join(", ")}`);
  return rows;
}

/**
 * The configs a secret key's `neededFor` is asked about: every Slack routing,
 * with and without repository settings, which is everything the keys' needs
 * depend on today.
 */
const SECRET_PROBES: readonly Readonly<Record<string, unknown>>[] = SLACK_ROUTINGS.flatMap((routing) =>
  [false, true].map((owns) => ({ observability: { slack: { routing } }, github: { ownsRepositorySettings: owns } })),
);

function neededText(spec: SecretKeySpec): string {
  const reasons = [...new Set(SECRET_PROBES.map((p) => spec.neededFor(p)).filter((r): r is string => r !== undefined))];
  return reasons.length === 0 ? "optional" : `required for ${reasons.join("; for ")}`;
}

/** The generated section of docs/configuration.md, markers included. */
export function configReference(schema: z.ZodType = stackConfigSchema, secrets: readonly SecretKeySpec[] = SECRET_KEYS): string {
  const rows = referenceRows(schema);
  return [
    REFERENCE_START,
    "<!-- Generated by `npm run docs:config` from stacks/config/schema.ts and stacks/config/secrets.ts: edit those, not this section. -->",
    "",
    `Every key is \`${PROJECT}:<key>\` in \`Pulumi.<stack>.yaml\`: a top-level key carries the prefix and the`,
    "keys below it are nested YAML under it. The table names each by its path without the prefix",
    "(`namespace.quota.pods`, as in `pulumi config set --path namespace.quota.pods 40`); `services[].name` is the",
    "`name` of each entry of the `services` list. The default is what an absent key means; `optional` keys without",
    "one say in their description what happens.",
    "",
    "| key | type | default | description |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${code(r.key)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.description)} |`),
    "",
    "Secret keys, set with `pulumi config set --secret <key> <value>`, never in plain text (a plain value is an",
    "error that does not print it):",
    "",
    "| key | needed | description |",
    "| --- | --- | --- |",
    ...secrets.map((s) => `| ${code(s.key)} | ${cell(neededText(s))} | ${cell(s.description)} |`),
    REFERENCE_END,
  ].join("\n");
}

/** `doc` with the text between the markers (markers included) replaced by `section`. */
export function spliceReference(doc: string, section: string): string {
  const start = doc.indexOf(REFERENCE_START);
  const end = doc.indexOf(REFERENCE_END);
  if (start === -1 || end === -1 || end < start || doc.indexOf(REFERENCE_START, start + 1) !== -1 || doc.indexOf(REFERENCE_END, end + 1) !== -1) {
    throw new Error(`${REFERENCE_DOC} must hold ${REFERENCE_START} and then ${REFERENCE_END}, once each: the generated reference goes between them`);
  }
  return doc.slice(0, start) + section + doc.slice(end + REFERENCE_END.length);
}

/** What is wrong with a committed doc's reference, or undefined when it is what the schema generates. */
export function referenceProblem(doc: string, section: string = configReference()): string | undefined {
  return spliceReference(doc, section) === doc ? undefined : OUT_OF_DATE;
}
