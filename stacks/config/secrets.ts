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
];

export const SECRET_KEY_NAMES: ReadonlySet<string> = new Set(SECRET_KEYS.map((s) => s.key));

/**
 * What the offline plan puts in place of a secret it cannot decrypt or that is
 * missing. It says what it is so nobody mistakes it for a credential.
 */
export function offlinePlaceholder(key: string): string {
  return `OFFLINE-PLACEHOLDER-NOT-A-SECRET(${key})`;
}
