import { REGISTRY_PULL_SECRET } from "../../infra/catalogue/names";
import { DEPLOYMENTS_WEBHOOK, SLACK_DESTINATIONS, SLACK_ROUTING_TABLE, SlackRouting } from "../../infra/catalogue/slack";

/**
 * The secret config keys: each is set with `pulumi config set --secret <key>`,
 * read by the edge as a Pulumi secret Output and never parsed into the plain
 * config object. A value of one of these keys is never printed, not even in an
 * error.
 */

/** The decoded stack config, before validation: read defensively. */
type ConfigInput = Readonly<Record<string, unknown>>;

export interface SecretKeySpec {
  readonly key: string;
  readonly description: string;
  /** Why a real `pulumi up` of this config needs the key, or undefined when it does not. */
  readonly neededFor: (input: ConfigInput) => string | undefined;
  /** The repository secret (GitHub Actions) the stack owning repository settings stores this key's value as. */
  readonly repositorySecret?: string;
}

/** The Slack routing a config asks for; the schema reports an unknown one. */
export function slackRoutingOf(input: ConfigInput): SlackRouting {
  const routing = ((input.observability as { slack?: { routing?: unknown } } | undefined)?.slack)?.routing;
  return routing === "single" ? "single" : "bySeverity";
}

const ownsRepositorySettings = (input: ConfigInput) => {
  const github = input.github as { ownsRepositorySettings?: unknown; manage?: unknown } | undefined;
  return github?.ownsRepositorySettings === true && github.manage !== false;
};

/** A Slack destination's key is needed when the config's routing sends alerts to it. */
const slackDestination = <D extends keyof typeof SLACK_DESTINATIONS>(destination: D, description: string) => ({
  key: SLACK_DESTINATIONS[destination].configKey as (typeof SLACK_DESTINATIONS)[D]["configKey"],
  description,
  neededFor: (input: ConfigInput) => {
    const routing = slackRoutingOf(input);
    return SLACK_ROUTING_TABLE[routing].some((r) => r.destination === destination)
      ? `the ${SLACK_DESTINATIONS[destination].receiver} receiver (observability.slack.routing: ${routing})`
      : undefined;
  },
});

const repositorySecret = <K extends string, N extends string>(key: K, name: N, description: string) => ({
  key,
  description,
  repositorySecret: name,
  neededFor: (input: ConfigInput) => (ownsRepositorySettings(input) ? `the ${name} repository secret (this stack owns repository settings)` : undefined),
});

export const SECRET_KEYS = [
  { key: "kubeconfig", description: "kubeconfig for the cluster Pulumi deploys to; without it the ambient KUBECONFIG is used", neededFor: () => undefined },
  slackDestination("critical", "Slack incoming webhook of the critical-alert channel (routing bySeverity)"),
  slackDestination("warning", "Slack incoming webhook of the warning channel (routing bySeverity); must differ from the critical one"),
  slackDestination("alerts", "Slack incoming webhook of the one alert channel (routing single)"),
  repositorySecret(DEPLOYMENTS_WEBHOOK.configKey, DEPLOYMENTS_WEBHOOK.repositorySecret, "Slack incoming webhook of #deployments: the SLACK_WEBHOOK repository secret the pipeline notifies with"),
  repositorySecret("snykToken", "SNYK_TOKEN", "SNYK_TOKEN repository secret for the security workflow"),
  repositorySecret("codecovToken", "CODECOV_TOKEN", "CODECOV_TOKEN repository secret for the test workflow"),
  {
    key: "registryPassword",
    description: "password or token of `registry.username` at `registry.server` (for ghcr.io a token with read:packages): the image pull secret's",
    neededFor: (input: ConfigInput) => (typeof input.registry === "object" && input.registry !== null ? `the image pull secret ${REGISTRY_PULL_SECRET.name} (registry is set)` : undefined),
  },
] as const satisfies readonly SecretKeySpec[];

export type SecretKey = (typeof SECRET_KEYS)[number]["key"];

type RepositorySecretSpec = Extract<(typeof SECRET_KEYS)[number], { readonly repositorySecret: string }>;
/** The repository secrets the owning stack manages: SLACK_WEBHOOK, SNYK_TOKEN, CODECOV_TOKEN. */
export type RepositorySecretName = RepositorySecretSpec["repositorySecret"];

/** Repository secrets the owning stack manages, by the secret config key that holds each: derived from SECRET_KEYS. */
export const REPOSITORY_SECRET_KEYS = Object.fromEntries(
  SECRET_KEYS.filter((s): s is RepositorySecretSpec => "repositorySecret" in s).map((s) => [s.repositorySecret, s.key]),
) as { readonly [N in RepositorySecretName]: Extract<RepositorySecretSpec, { readonly repositorySecret: N }>["key"] };

export const SECRET_KEY_NAMES: ReadonlySet<string> = new Set(SECRET_KEYS.map((s) => s.key));

/**
 * Secret keys this project no longer reads, with what replaced them. Their
 * values are never shown either: they were secrets when they were set.
 */
export const RETIRED_SECRET_KEYS: Readonly<Record<string, string>> = {
  slackWebhook:
    "was split: a Slack webhook posts only to its own channel, so each destination has its own key. Set slackWebhookCritical and slackWebhookWarning (or slackWebhookAlerts with observability.slack.routing: single), and slackWebhookDeployments where this stack owns repository settings; then pulumi config rm slackWebhook",
};

/**
 * What the offline plan puts in place of a secret it cannot decrypt or that is
 * missing. It says what it is so nobody mistakes it for a credential.
 */
export function offlinePlaceholder(key: string): string {
  return `OFFLINE-PLACEHOLDER-NOT-A-SECRET(${key})`;
}

/** Key names that suggest a credential, whatever the key is. */
const SECRET_LOOKING_NAME = /webhook|token|secret|passw|credential|kubeconfig|api[-_]?key|private[-_]?key|auth|bearer|cert/i;

/**
 * Whether a value someone put under an unknown key may be a credential, so it
 * is not printed: a URL, a PEM block or kubeconfig, or a long token-like word.
 * Nested strings count too. Deliberately generous: an unknown key loses only
 * its echo, never its problem.
 */
export function mayBeSecret(key: string, value: unknown): boolean {
  if (SECRET_LOOKING_NAME.test(key)) return true;
  const strings: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 20) return;
    if (typeof v === "string") strings.push(v);
    else if (Array.isArray(v)) v.forEach((e) => walk(e, depth + 1));
    else if (typeof v === "object" && v !== null) for (const [k, e] of Object.entries(v)) {
      if (SECRET_LOOKING_NAME.test(k)) strings.push("-----BEGIN");
      walk(e, depth + 1);
    }
  };
  walk(value, 0);
  return strings.some(
    (s) => /[a-z][a-z0-9+.-]*:\/\//i.test(s) || /-----BEGIN|apiVersion:|client-key|token:/i.test(s) || (/[A-Za-z0-9_\-+/=.]{16,}/.test(s) && /[0-9]/.test(s) && /[A-Za-z]/.test(s)),
  );
}
