import type { AlertKey, AlertPolicy, Severity } from "../catalogue/alerts";
import { platformLabels } from "../catalogue/labels";

export type { AlertPolicy, Severity };

/** One Slack destination: a receiver, the webhook's channel, and the severities it takes. */
export interface SlackDestination {
  readonly receiver: string;
  /** The channel the webhook was created for (Slack app webhooks post nowhere else). */
  readonly channel: string;
  /** The key in the webhook Secret that holds this destination's URL. */
  readonly secretKey: string;
  readonly severities: readonly Severity[];
}

/** A scraped service of the environment; its pods carry the delivery slice's `selectorLabels`. */
export interface ObservedService {
  readonly name: string;
  /** The container port that serves `/metrics` (the service's port from stack config). */
  readonly port: number;
}

/**
 * What the observability slice needs to know; a projection of the stack
 * config. Every environment difference (thresholds, `for`, severities,
 * channels) is data here.
 */
export interface ObservabilitySpec {
  readonly environment: string;
  readonly namespace: string;
  /** Extra labels for every object (cannot override the platform's own). */
  readonly labels: Readonly<Record<string, string>>;
  readonly services: readonly ObservedService[];
  readonly slo: {
    readonly errorRatePerSecond: number;
    readonly latencyP95Seconds: number;
    /** 0 means no minimum: the LowAgentCount alert is then not created. */
    readonly minActiveAgents: number;
    /** The window of every rate (a Prometheus duration). */
    readonly rateWindow: string;
  };
  /** `for` and severity of every alert of the catalogue's table, defaults resolved. */
  readonly alerts: Readonly<Record<AlertKey, AlertPolicy>>;
  /** Runbooks live at `<runbookBaseUrl>/<alertname in lower case>`. */
  readonly runbookBaseUrl: string;
  /**
   * Labels the Prometheus operator selects rules, monitors and Alertmanager
   * configs by: kube-prometheus-stack's `release: <release name>`.
   */
  readonly ruleSelectorLabels: Readonly<Record<string, string>>;
  readonly grafana: {
    /** The Grafana folder the sidecar files the dashboards under. */
    readonly folder: string;
    /** The label the Grafana sidecar watches ConfigMaps for: `grafana_dashboard: "1"`. */
    readonly dashboardLabel: { readonly name: string; readonly value: string };
  };
  readonly slack: {
    /** Each destination its own webhook; the last also takes what no severity route matches. */
    readonly destinations: readonly SlackDestination[];
    /** The Secret (in `namespace`) the component creates to hold the webhook URLs. */
    readonly secretName: string;
    readonly sendResolved: boolean;
  };
  /** How often the DORA recording rules are evaluated (their own group interval). */
  readonly doraEvaluationInterval: string;
  /** Alertmanager's route timers. */
  readonly notifications: {
    readonly groupWait: string;
    readonly groupInterval: string;
    readonly repeatInterval: Readonly<Record<Severity, string>>;
  };
  readonly pushgateway: {
    readonly enabled: boolean;
    /** Its namespace (`addons.pushgateway.namespace`); the Service is always `PUSHGATEWAY_SERVICE`. */
    readonly namespace: string;
  };
}

/** Labels every object of the slice carries. */
export function observabilityLabels(spec: ObservabilitySpec): Record<string, string> {
  return { ...spec.labels, ...platformLabels(spec.environment), "app.kubernetes.io/component": "observability" };
}

/** Labels of the objects the Prometheus operator must pick up: the platform's plus its selector. */
export function operatorSelectedLabels(spec: ObservabilitySpec): Record<string, string> {
  return { ...observabilityLabels(spec), ...spec.ruleSelectorLabels };
}

const PROM_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus duration ("1h30m" = 5400); throws on anything Prometheus would refuse. */
export function durationSeconds(duration: string): number {
  if (!PROM_DURATION.test(duration)) {
    throw new Error(`"${duration}" is not a Prometheus duration: use a number and a unit such as 30s, 5m or 1h30m`);
  }
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_SECONDS[unit];
  return total;
}
