import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT } from "../../infra/catalogue/names";
import { RawStackConfig } from "../config/parse";
import { SECRET_KEYS, offlinePlaceholder } from "../config/secrets";

/** The stacks of the project: one `Pulumi.<stack>.yaml` each. */
export function listStacks(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program:
 * structured values as JSON text, scalars as text, `secure:` values as secrets.
 * Offline nothing can be decrypted, so a secure value, and a declared secret
 * that is missing, becomes a placeholder that says what it is.
 */
export function readStackFile(root: string, stack: string): RawStackConfig {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new Error(`no stack file ${file}: create Pulumi.${stack}.yaml (copy Pulumi.staging.yaml) or pick one of: ${listStacks(root).join(", ")}`);
  const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const secretFingerprints: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (isSecure(value)) {
      values[fullKey] = offlinePlaceholder(key);
      secretKeys.add(fullKey);
      // The ciphertext is public (it is committed); its hash changes when the secret does.
      secretFingerprints[fullKey] = createHash("sha256").update(String((value as { secure: unknown }).secure)).digest("hex").slice(0, 16);
    } else {
      values[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
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

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
}
