import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../infra/catalogue/names";
import { PlatformConfig, parseStackConfig } from "./parse";
import { SECRET_KEYS, SecretKey } from "./secrets";

// The SDK's own record of which keys were set with --secret (PULUMI_CONFIG_SECRET_KEYS).
// It is not in the public typings; without it every key is treated as plain.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };

/** The secret config values, as Pulumi secrets; absent keys are undefined. */
export type PlatformSecrets = Readonly<Partial<Record<SecretKey, pulumi.Output<string>>>>;

/**
 * The edge: the only place that reads Pulumi config. Parses the whole stack
 * config once (throwing a ConfigError that lists every problem before any
 * resource is registered) and reads the secret keys as secret Outputs.
 */
export function loadPlatformConfig(): { config: PlatformConfig; secrets: PlatformSecrets } {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter((k) => isConfigSecret?.(k) ?? false));
  const config = parseStackConfig({ stack: pulumi.getStack(), values, secretKeys });
  const raw = new pulumi.Config(PROJECT);
  const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
  for (const { key } of SECRET_KEYS) secrets[key] = raw.getSecret(key);
  return { config, secrets };
}
