import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../../infra/catalogue/names";
import { SLACK_DESTINATIONS } from "../../infra/catalogue/slack";
import { ConfigMode, PlatformConfig, parseStackConfig } from "./parse";
import { REPOSITORY_SECRET_KEYS, RepositorySecretName, SECRET_KEYS, SecretKey } from "./secrets";

// The SDK's own record of which keys were set with --secret (PULUMI_CONFIG_SECRET_KEYS).
// It is not in the public typings; without it every key is treated as plain.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };

/** The secret config values the program uses, as Pulumi secrets, resolved for this stack's config. */
export interface PlatformSecrets {
  /** The kubeconfig of the cluster Pulumi deploys to; absent = the ambient KUBECONFIG. */
  readonly kubeconfig?: pulumi.Output<string>;
  /** The webhook of each Slack destination of the config's routing, by its key in the webhook Secret. */
  readonly slackWebhooks: Readonly<Record<string, pulumi.Output<string>>>;
  /** The repository secrets by name, where the stack owns repository settings; else absent. */
  readonly repositorySecrets?: Readonly<Record<RepositorySecretName, pulumi.Output<string>>>;
  /** The private registry's password, where `registry` is set; else absent. */
  readonly registryPassword?: pulumi.Output<string>;
}

/**
 * What the program reads of the secret keys, from `read` (a secret key's value,
 * or undefined when it is not set). The parser has refused a config without a
 * key it needs, so an absent one here is a bug of the config layer.
 */
export function resolveSecrets(config: PlatformConfig, read: (key: SecretKey) => pulumi.Output<string> | undefined): PlatformSecrets {
  const needed = (key: SecretKey): pulumi.Output<string> => {
    const value = read(key);
    if (value === undefined) throw new Error(`config layer bug: ${PROJECT}:${key} is not set, and the parser should have refused the stack`);
    return value;
  };
  const kubeconfig = read("kubeconfig");
  const owns = config.github.manage && config.github.ownsRepositorySettings;
  return {
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    slackWebhooks: Object.fromEntries(
      config.observability.slack.destinations.map(({ destination }) => [SLACK_DESTINATIONS[destination].secretKey, needed(SLACK_DESTINATIONS[destination].configKey)]),
    ),
    ...(owns
      ? {
          repositorySecrets: Object.fromEntries(Object.entries(REPOSITORY_SECRET_KEYS).map(([name, key]) => [name, needed(key)])) as Record<
            RepositorySecretName,
            pulumi.Output<string>
          >,
        }
      : {}),
    ...(config.registry === undefined ? {} : { registryPassword: needed("registryPassword") }),
  };
}

/**
 * The edge: the only place that reads Pulumi config. Parses the whole stack
 * config once (throwing a ConfigError that lists every problem before any
 * resource is registered) and reads the secret keys as secret Outputs. `mode`
 * is the caller's to say, never guessed: "deploy" from the program the host
 * runs, "offline" from the offline runner (stacks/offline/run.ts).
 */
export function loadPlatformConfig(mode: ConfigMode): { config: PlatformConfig; secrets: PlatformSecrets } {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter((k) => isConfigSecret?.(k) ?? false));
  const config = parseStackConfig({ stack: pulumi.getStack(), values, secretKeys }, mode);
  const raw = new pulumi.Config(PROJECT);
  const read = new Map<SecretKey, pulumi.Output<string> | undefined>(SECRET_KEYS.map(({ key }) => [key, raw.getSecret(key)]));
  return { config, secrets: resolveSecrets(config, (key) => read.get(key)) };
}
