/**
 * The secret config keys: each is set with `pulumi config set --secret <key>`,
 * read by the edge as a Pulumi secret Output and never parsed into the plain
 * config object. A value of one of these keys is never printed, not even in an
 * error. `offline` says whether the offline plan gives a placeholder when the
 * stack file does not hold it.
 */
export interface SecretKeySpec {
  readonly key: string;
  readonly description: string;
  /** Whether a real `pulumi up` needs it. */
  readonly required: boolean;
}

export const SECRET_KEYS: readonly SecretKeySpec[] = [
  {
    key: "kubeconfig",
    description: "kubeconfig for the cluster Pulumi deploys to; without it the ambient KUBECONFIG is used",
    required: false,
  },
  {
    key: "slackWebhook",
    description: "Slack incoming webhook: Alertmanager's receivers, and the SLACK_WEBHOOK repository secret where this stack owns repository settings",
    required: true,
  },
  {
    key: "snykToken",
    description: "SNYK_TOKEN repository secret for the security workflow (only the stack that owns repository settings)",
    required: false,
  },
  {
    key: "codecovToken",
    description: "CODECOV_TOKEN repository secret for the test workflow (only the stack that owns repository settings)",
    required: false,
  },
];

/** Repository secrets the owning stack manages, by the secret config key that holds each. */
export const REPOSITORY_SECRET_KEYS = { SLACK_WEBHOOK: "slackWebhook", SNYK_TOKEN: "snykToken", CODECOV_TOKEN: "codecovToken" } as const;

export const SECRET_KEY_NAMES: ReadonlySet<string> = new Set(SECRET_KEYS.map((s) => s.key));

/**
 * What the offline plan puts in place of a secret it cannot decrypt or that is
 * missing. It says what it is so nobody mistakes it for a credential.
 */
export function offlinePlaceholder(key: string): string {
  return `OFFLINE-PLACEHOLDER-NOT-A-SECRET(${key})`;
}
