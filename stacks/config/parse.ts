import { DEFAULT_INGRESS_CONTROLLER_NAMESPACE } from "../../infra/catalogue/public-endpoint";
import { z } from "zod";
import { PROJECT } from "../../infra/catalogue/names";
import { stackConfigSchema } from "./schema";
import { RETIRED_SECRET_KEYS, SECRET_KEY_NAMES, mayBeSecret } from "./secrets";
import { platformRules, secretRules } from "./rules";
import { placeholderRules } from "./placeholders";
import { PlatformConfig, resolveStackConfig } from "./resolve";
import { closestKey } from "./similar";

export type { PlatformConfig };

/** Raw config as Pulumi hands it to a program: string values, some of them secret. */
export interface RawStackConfig {
  readonly stack: string;
  /** Keys with the project prefix (`agent-hive-platform:namespace`) or without. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys whose value was set with `--secret`. */
  readonly secretKeys: ReadonlySet<string>;
  /**
   * Offline only: a fingerprint of each secret key's public ciphertext in the
   * stack file, so a diff can say a secret changed without knowing its value.
   */
  readonly secretFingerprints?: Readonly<Record<string, string>>;
}

export interface ConfigProblem {
  /** The full config key with its path, as a user would type it: `agent-hive-platform:services[0].replicas`. */
  readonly key: string;
  /** The offending value as JSON, or a note that it is hidden because it is secret. */
  readonly value: string;
  readonly problem: string;
}

export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(stack, problems));
    this.name = "ConfigError";
  }
}

function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.key} = ${p.value}: ${p.problem}`);
  return [
    `Pulumi.${stack}.yaml has ${problems.length} config problem${problems.length === 1 ? "" : "s"}; nothing was registered:`,
    ...lines,
    `Fix the keys above (pulumi config set [--secret] --path <key> <value>, or edit Pulumi.${stack}.yaml) and run again.`,
  ].join("\n");
}

const HIDDEN = "(secret, not shown)";
/** An unknown key whose name or value looks like a credential: it may be a misspelt secret key. */
const WITHHELD = "(not shown: it may be a secret)";
const ABSENT = "(not set)";
const EMPTY = "(empty)";

/**
 * Keys that could reach an object's prototype when config is copied into
 * objects. Refused by name anywhere in the config, and dropped before
 * anything else reads the config, so they never supply a value.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
const FORBIDDEN_PROBLEM = "is not a config key: __proto__, constructor and prototype are refused anywhere in the config (they could alter the objects the config is read into); remove it";

/** Every forbidden key inside a decoded JSON value, removed in place (JSON.parse makes them own properties), with its path. */
function stripForbiddenKeys(value: unknown, path: PropertyKey[], found: { path: PropertyKey[]; value: unknown }[]): void {
  if (Array.isArray(value)) {
    value.forEach((e, i) => stripForbiddenKeys(e, [...path, i], found));
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      found.push({ path: [...path, key], value: (value as Record<string, unknown>)[key] });
      delete (value as Record<string, unknown>)[key];
    } else stripForbiddenKeys((value as Record<string, unknown>)[key], [...path, key], found);
  }
}

function keyPath(path: readonly PropertyKey[]): string {
  let out = `${PROJECT}:`;
  path.forEach((p, i) => {
    if (typeof p === "number") out += `[${p}]`;
    else out += i === 0 ? String(p) : `.${String(p)}`;
  });
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, p)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p as string];
  }
  return cur;
}

function showValue(v: unknown): string {
  if (v === undefined) return ABSENT;
  if (v === null) return EMPTY;
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function unprefixed(key: string): string | undefined {
  if (key.startsWith(`${PROJECT}:`)) return key.slice(PROJECT.length + 1);
  return key.includes(":") ? undefined : key;
}

/**
 * Pulumi passes structured values as JSON text and scalars as plain text. An
 * empty value (`environment:` with nothing after it) decodes to null, which
 * the schema reports as empty.
 */
function decode(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const t = text.trim();
  if (t === "") return { ok: true, value: null };
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return { ok: true, value: JSON.parse(t) as unknown };
    } catch (e) {
      return { ok: false, error: `is not valid structured config (${(e as Error).message})` };
    }
  }
  return { ok: true, value: text };
}

/**
 * What the config is read for. "deploy": a real `pulumi preview` or `up` (stacks/config/load.ts
 * from the program the host runs), which also refuses the committed placeholders
 * (placeholders.ts). "offline": the offline plan, policy, diff and golden files, and the tools
 * that read a stack file without deploying it, which accept them.
 */
export type ConfigMode = "deploy" | "offline";

/**
 * Parses and validates one stack's raw config. Returns the typed readonly
 * config, or throws a ConfigError listing every problem at once. Pure: it
 * registers nothing and reads nothing but its arguments.
 */
export function parseStackConfig(raw: RawStackConfig, mode: ConfigMode = "offline"): PlatformConfig {
  const problems: ConfigProblem[] = [];
  const input: Record<string, unknown> = {};
  const secretShortKeys = new Set<string>();

  for (const [fullKey, text] of Object.entries(raw.values)) {
    const key = unprefixed(fullKey);
    if (key === undefined) continue; // another package's config (kubernetes:, pulumi:): not ours to judge
    const isSecret = raw.secretKeys.has(fullKey) || raw.secretKeys.has(`${PROJECT}:${key}`);
    if (isSecret) secretShortKeys.add(key);
    if (FORBIDDEN_KEYS.has(key)) {
      const decoded = decode(text);
      const value = decoded.ok ? decoded.value : text;
      problems.push({ key: keyPath([key]), value: isSecret ? HIDDEN : mayBeSecret(key, value) ? WITHHELD : showValue(value), problem: FORBIDDEN_PROBLEM });
      continue;
    }
    if (Object.hasOwn(RETIRED_SECRET_KEYS, key)) {
      problems.push({ key: keyPath([key]), value: HIDDEN, problem: RETIRED_SECRET_KEYS[key] });
      continue;
    }
    if (SECRET_KEY_NAMES.has(key)) {
      if (!isSecret) {
        problems.push({ key: keyPath([key]), value: HIDDEN, problem: `is stored in plain text; remove it and run: pulumi config set --secret ${key} <value>` });
      }
      continue;
    }
    const decoded = decode(text);
    if (!decoded.ok) {
      problems.push({ key: keyPath([key]), value: isSecret ? HIDDEN : showValue(text), problem: decoded.error });
      continue;
    }
    const forbidden: { path: PropertyKey[]; value: unknown }[] = [];
    stripForbiddenKeys(decoded.value, [key], forbidden);
    for (const f of forbidden) {
      const name = String(f.path[f.path.length - 1]);
      problems.push({ key: keyPath(f.path), value: isSecret ? HIDDEN : mayBeSecret(name, f.value) ? WITHHELD : showValue(f.value), problem: FORBIDDEN_PROBLEM });
    }
    // Safe: forbidden keys (top level included) never get here.
    input[key] = decoded.value;
  }

  const show = (path: readonly PropertyKey[]) =>
    typeof path[0] === "string" && secretShortKeys.has(path[0]) ? HIDDEN : showValue(valueAt(input, path));

  const result = stackConfigSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...describeIssue(issue, input, show, secretShortKeys));
  }
  for (const c of platformRules(input)) problems.push({ key: keyPath(c.path), value: show(c.path), problem: c.problem });
  if (mode === "deploy") for (const c of placeholderRules(input)) problems.push({ key: keyPath(c.path), value: show(c.path), problem: c.problem });
  for (const c of secretRules(input, (key) => secretValue(raw, key))) {
    problems.push({ key: keyPath(c.path), value: c.shown === "absent" ? ABSENT : HIDDEN, problem: c.problem });
  }

  if (problems.length > 0 || !result.success) throw new ConfigError(raw.stack, dedupe(problems));
  return resolveStackConfig(raw.stack, result.data);
}

function secretValue(raw: RawStackConfig, key: string): string | undefined {
  return raw.values[`${PROJECT}:${key}`] ?? raw.values[key];
}

const ALLOWED_KEYS = Object.keys(stackConfigSchema.shape).sort();

/** Plain keys this project no longer reads, by their path, with what replaced them: an old stack file gets the move, not only "unknown key". */
export const RETIRED_KEYS: Readonly<Record<string, string>> = {
  "namespace.network.ingressNamespaces":
    `was replaced by ingress.controllerNamespace (default ${DEFAULT_INGRESS_CONTROLLER_NAMESPACE}): the NetworkPolicies admit the one namespace of the ingress controller that serves the stack's Ingress. Set it there and remove this key`,
};

function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  show: (path: readonly PropertyKey[]) => string,
  secretShortKeys: ReadonlySet<string>,
): ConfigProblem[] {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    const allowed = path.length === 0 ? ALLOWED_KEYS : allowedAt(path);
    return issue.keys.map((k) => {
      const at = [...path, k];
      const value = valueAt(input, at);
      const setAsSecret = typeof at[0] === "string" && secretShortKeys.has(at[0]);
      const secretKey = path.length === 0 ? closestKey(k, [...SECRET_KEY_NAMES, ...Object.keys(RETIRED_SECRET_KEYS)]) : undefined;
      const withheld = !setAsSecret && (secretKey !== undefined || mayBeSecret(k, value));
      const near = secretKey === undefined ? closestKey(k, allowed) : undefined;
      const dotted = at.filter((p) => typeof p === "string").join(".");
      const retired = Object.hasOwn(RETIRED_KEYS, dotted) ? RETIRED_KEYS[dotted] : undefined;
      if (retired !== undefined) return { key: keyPath(at), value: setAsSecret ? HIDDEN : withheld ? WITHHELD : show(at), problem: retired };
      let problem = `unknown key; allowed here: ${allowed.join(", ")}`;
      if (secretKey !== undefined) {
        problem += `. Did you mean the secret key ${secretKey}? Run: pulumi config rm ${k}; pulumi config set --secret ${secretKey} <value>`;
        if (!setAsSecret) problem += ` (it was stored in plain text: if it is a credential, rotate it)`;
      } else if (near !== undefined) problem += `. Did you mean ${near}?`;
      return { key: keyPath(at), value: setAsSecret ? HIDDEN : withheld ? WITHHELD : show(at), problem };
    });
  }
  let problem = issue.message;
  const got = valueAt(input, path);
  if (issue.code === "invalid_type") {
    problem =
      got === undefined
        ? `is required (${issue.expected})`
        : got === null
          ? `is empty: set ${article(issue.expected)} or remove the key`
          : `must be ${article(issue.expected)}, not ${Array.isArray(got) ? "a list" : typeof got}`;
  } else if (typeof got === "string" && got.trim() === "" && !problem.startsWith("is empty")) {
    problem = `is empty: ${problem}`;
  }
  return [{ key: keyPath(path), value: show(path), problem }];
}

function article(expected: string): string {
  if (expected === "int") return "a whole number";
  if (expected === "object") return "an object (a map of keys)";
  if (expected === "array") return "a list";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** The keys a strict object at `path` accepts, for the "unknown key" hint. */
function allowedAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = stackConfigSchema;
  for (const p of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[p as string] as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return [];
    if (schema === undefined) return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape).sort() : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/** One problem per key and message; an empty value is reported once, whatever else it breaks. */
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = p.problem.startsWith("is empty") ? `${p.key}\u0000empty` : `${p.key}\u0000${p.problem}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
