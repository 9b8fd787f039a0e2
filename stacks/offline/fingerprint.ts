import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT } from "../../infra/catalogue/names";
import { RawStackConfig } from "../config/parse";
import { UsageError, onFile } from "./errors";
import { SECRET_MARK } from "./redact";
import { readStackFile, stackHasSource } from "./stack-file";

/**
 * Where a plan came from, recorded in its plan.json so that a plan older than
 * its config is refused:
 * - `config`: a hash of the config exactly as the program received it (every
 *   key and value, secrets as "[secret]" plus the fingerprint of their public
 *   ciphertext). Every plan has it, however it was written.
 * - `files`: when `npm run plan` wrote it, a hash of the bytes of each file it
 *   was planned from: `Pulumi.<stack>.yaml` and the project's `Pulumi.yaml`.
 *   A comment edited in the stack file makes the plan stale too.
 * The policy config (policies/config/<stack>.json) is not part of it: the plan
 * does not depend on it, and `npm run policy` reads it afresh on every run.
 */
export interface PlanSource {
  readonly config: string;
  readonly files?: Readonly<Record<string, string>>;
}

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** The hash of a stack's config as the program receives it. Secret values never enter it. */
export function configFingerprint(raw: RawStackConfig): string {
  const values = Object.keys(raw.values)
    .sort()
    .map((k) => [k, raw.secretKeys.has(k) ? SECRET_MARK : raw.values[k]]);
  const secrets = Object.entries(raw.secretFingerprints ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return sha256(JSON.stringify({ values, secrets }));
}

/** The files a stack is planned from, by name relative to the project, with the hash of their bytes. */
export function sourceFiles(root: string, stack: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of [`Pulumi.${stack}.yaml`, "Pulumi.yaml"]) {
    const file = path.join(root, name);
    if (fs.existsSync(file)) files[name] = sha256(fs.readFileSync(file));
  }
  return files;
}

/** The parts of plan.json that say what it is a plan of. */
export interface PlanIdentity {
  readonly stack?: unknown;
  readonly project?: unknown;
  readonly source?: Partial<PlanSource>;
}

/** Why a plan document is not a plan of `stack` in this project, or undefined. `where` names the file. */
export function identityProblem(doc: PlanIdentity, where: string, stack: string): string | undefined {
  if (doc.project !== PROJECT) return `${where} is a plan of project ${JSON.stringify(doc.project ?? "(none)")}, not ${PROJECT}: give plans made in this project`;
  if (doc.stack !== stack) return `${where} is a plan of stack ${JSON.stringify(doc.stack ?? "(none)")}, not ${stack}: it is in the wrong directory; run npm run plan`;
  return undefined;
}

/**
 * Why a plan is older than the config it would be judged with, or undefined:
 * no fingerprint, a stack file that is gone or now different, or a changed
 * Pulumi.yaml. The message is one line that says to plan again.
 */
export function staleness(doc: PlanIdentity, where: string, root: string, stack: string): string | undefined {
  const source = doc.source;
  const stackFile = `Pulumi.${stack}.yaml`;
  if (typeof source?.config !== "string") return `${where} has no config fingerprint (an older npm run plan wrote it): run npm run plan`;
  if (!stackHasSource(root, stack)) return `${where} was planned from ${stackFile}, which is gone: run npm run plan, or remove ${path.dirname(where)}`;
  const files = sourceFiles(root, stack);
  for (const [name, hash] of Object.entries(source.files ?? {})) {
    if (files[name] !== hash) return `${where} was planned from an older ${name}: run npm run plan`;
  }
  let current: string;
  try {
    current = configFingerprint(readStackFile(root, stack));
  } catch {
    // The file no longer reads as a stack file: whatever the plan came from, it was not this.
    return `${where} was planned from an older ${stackFile}: run npm run plan`;
  }
  if (current !== source.config) return `${where} was planned from an older ${stackFile}: run npm run plan`;
  return undefined;
}

/** A path for messages: relative to the project when inside it (`out/production/plan.json`), else absolute. */
export function shown(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** Reads a JSON file (a plan.json by default), or a UsageError with `fix` when it is not JSON. */
export function readPlanJson<T>(file: string, where: string, fix = "run npm run plan"): T {
  const text = onFile(file, () => fs.readFileSync(file, "utf8"));
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UsageError(`${where} is not valid JSON: ${fix}`, 1);
  }
}
