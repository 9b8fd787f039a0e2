import type { Severity } from "./alerts";

/*
 * Where notifications go. A Slack app's incoming webhook posts to the one
 * channel it was created for and ignores any `channel` field, so every
 * destination is its own webhook, held in its own secret config key: routing
 * by severity is real only when the critical and warning webhooks differ
 * (the config parser refuses the same URL twice).
 */

export const SLACK_ROUTINGS = ["bySeverity", "single"] as const;
export type SlackRouting = (typeof SLACK_ROUTINGS)[number];

export interface SlackDestinationEntry {
  /** Alertmanager receiver name. */
  readonly receiver: string;
  /** The secret config key holding this destination's webhook URL. */
  readonly configKey: string;
  /** The key in the webhook Secret that Alertmanager reads the URL from. */
  readonly secretKey: string;
}

export const SLACK_DESTINATIONS = {
  critical: { receiver: "slack-critical", configKey: "slackWebhookCritical", secretKey: "critical-webhook-url" },
  warning: { receiver: "slack-warning", configKey: "slackWebhookWarning", secretKey: "warning-webhook-url" },
  alerts: { receiver: "slack-alerts", configKey: "slackWebhookAlerts", secretKey: "alerts-webhook-url" },
} as const satisfies Record<string, SlackDestinationEntry>;
export type SlackDestinationKey = keyof typeof SLACK_DESTINATIONS;

/**
 * Which destination takes which severities under each routing. The last
 * entry also takes anything no severity route matches.
 */
export const SLACK_ROUTING_TABLE: Record<SlackRouting, readonly { readonly destination: SlackDestinationKey; readonly severities: readonly Severity[] }[]> = {
  bySeverity: [
    { destination: "critical", severities: ["critical"] },
    { destination: "warning", severities: ["warning", "info"] },
  ],
  single: [{ destination: "alerts", severities: ["critical", "warning", "info"] }],
};

/** The Secret in the environment's namespace that holds the alert webhooks. */
export const SLACK_WEBHOOK_SECRET_NAME = "alertmanager-slack";

/**
 * The `#deployments` notices the pipeline posts (the guide's `notify` job):
 * a webhook of its own, stored as the repository's SLACK_WEBHOOK secret.
 */
export const DEPLOYMENTS_WEBHOOK = { configKey: "slackWebhookDeployments", repositorySecret: "SLACK_WEBHOOK" } as const;
