import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { PROJECT } from "../../infra/catalogue/names";
import { RawStackConfig } from "../config/parse";
import { SECRET_KEYS, offlinePlaceholder } from "../config/secrets";
import { REVIEW_STACK, TEMPLATE, readTemplate } from "../review/stack-file";
import { checkStackFound } from "./paths";

/** The project's stacks as a command takes them: each file's stack name checked (paths.ts) before it names a path. */
export function projectStacks(root: string): string[] {
  return listStacks(root).map((s) => checkStackFound(s, `Pulumi.${s}.yaml`));
}

/** The stacks of the project: one `Pulumi.<stack>.yaml` each. */
export function listStacks(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * A stack file that is not valid YAML. Its message gives each error's line and
 * column and the config key above it, never the text of the line: that line
 * may hold a secret pasted in plain text (the yaml library's own messages
 * quote it).
 */
export class StackFileError extends Error {
  constructor(
    readonly file: string,
    readonly errors: readonly { readonly line: number; readonly column: number; readonly near?: string; readonly problem: string }[],
  ) {
    super(
      [
        `${path.basename(file)} is not valid YAML; nothing was registered:`,
        ...errors.map((e) => `  - line ${e.line}, column ${e.column}${e.near ? ` (in ${e.near})` : ""}: ${e.problem} (the line's content is withheld: it may hold a secret)`),
        `Fix the file (pulumi config set --path <key> <value> writes valid YAML) and run again.`,
      ].join("\n"),
    );
    this.name = "StackFileError";
  }
}

/** The yaml library's message without its position and source excerpt, and cut before any quoted source (`Unresolved tag: !x`). */
function withoutSource(message: string): string {
  const head = message.split("\n")[0].replace(/ at line \d+, column \d+:?\s*$/, "");
  const colon = head.indexOf(": ");
  return colon === -1 ? head : head.slice(0, colon);
}

/** The config key (`agent-hive-platform:services`) whose value spans `line`, when the file is laid out as Pulumi writes it. */
function keyAbove(lines: readonly string[], line: number): string | undefined {
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = /^\s+([A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+):(?:\s|$)/.exec(lines[i]);
    if (m) return m[1];
    if (/^\S/.test(lines[i])) return undefined;
  }
  return undefined;
}

/** Parses a stack file's text; every YAML error and warning becomes one line of a StackFileError. */
export function parseStackYaml(file: string, text: string): { config?: unknown } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const issues = [...doc.errors, ...doc.warnings];
  if (issues.length > 0) {
    const lines = text.split(/\r?\n/);
    throw new StackFileError(
      file,
      issues.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 0, col: 0 };
        return { line: pos.line, column: pos.col, near: keyAbove(lines, pos.line), problem: withoutSource(e.message) };
      }),
    );
  }
  const value = (doc.toJS() ?? {}) as unknown;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StackFileError(file, [{ line: 1, column: 1, problem: "the file must be a mapping with a config: key" }]);
  return value as { config?: unknown };
}

/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program:
 * structured values as JSON text, scalars as text, `secure:` values as secrets.
 * Offline nothing can be decrypted, so a secure value, and a declared secret
 * that is missing, becomes a placeholder that says what it is. An empty value
 * (`environment:` with nothing after it, YAML null) becomes the empty string,
 * which the parser reports as empty, never the text "null".
 */
export function readStackFile(root: string, stack: string): RawStackConfig {
  const { file, text } = stackFileText(root, stack);
  const doc = parseStackYaml(file, text);
  const config = Object.hasOwn(doc, "config") ? doc.config : undefined;
  if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))) {
    throw new StackFileError(file, [{ line: 1, column: 1, problem: "config: must be a mapping of keys to values" }]);
  }
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const secretFingerprints: Record<string, string> = {};
  for (const [key, value] of Object.entries((config ?? {}) as Record<string, unknown>)) {
    const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (isSecure(value)) {
      values[fullKey] = offlinePlaceholder(key);
      secretKeys.add(fullKey);
      // The ciphertext is public (it is committed); its hash changes when the secret does.
      secretFingerprints[fullKey] = createHash("sha256").update(String((value as { secure: unknown }).secure)).digest("hex").slice(0, 16);
    } else if (containsSecure(value)) {
      // `pulumi config set --secret --path a.b`: a secret inside a structured value. The whole key is then secret,
      // so no part of it is ever shown; offline, each secure leaf becomes a placeholder.
      values[fullKey] = JSON.stringify(replaceSecure(value, key));
      secretKeys.add(fullKey);
      secretFingerprints[fullKey] = createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
    } else {
      values[fullKey] = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  // Every declared secret gets a placeholder when absent, so the plan shows all
  // the secret wiring a fully configured stack would have.
  for (const spec of SECRET_KEYS) {
    const fullKey = `${PROJECT}:${spec.key}`;
    if (!(fullKey in values)) {
      values[fullKey] = offlinePlaceholder(spec.key);
      secretKeys.add(fullKey);
      secretFingerprints[fullKey] = "missing";
    }
  }
  return { stack, values, secretKeys, secretFingerprints };
}

/** Whether a stack can be read: its file exists, or it is a review stack the template makes. */
export function stackHasSource(root: string, stack: string): boolean {
  return fs.existsSync(path.join(root, `Pulumi.${stack}.yaml`)) || REVIEW_STACK.test(stack);
}

/**
 * A stack's file, or for a review stack (`review-<n>`) without one, the file
 * `npm run review -- stack --pr <n>` would write from stacks/review/template.yaml:
 * a review environment plans from the template alone, as its workflow makes it.
 */
function stackFileText(root: string, stack: string): { file: string; text: string } {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(file)) return { file, text: fs.readFileSync(file, "utf8") };
  const review = REVIEW_STACK.exec(stack);
  if (review) return { file: `${TEMPLATE} (${stack})`, text: readTemplate().stackFile(Number(review[1])) };
  throw new Error(`no stack file ${file}: create Pulumi.${stack}.yaml (copy Pulumi.staging.yaml) or pick one of: ${listStacks(root).join(", ")}`);
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.hasOwn(value, "secure");
}

function containsSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).some(containsSecure);
}

function replaceSecure(value: unknown, key: string): unknown {
  if (isSecure(value)) return offlinePlaceholder(key);
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, key));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v, key)]));
}
