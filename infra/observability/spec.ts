import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AlertKey, AlertPolicy, Severity } from "../catalogue/alerts";

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
 * What the observability slice needs to know; a projection of the resolved
 * stack config, checked at its edge (durations parse, thresholds are in
 * range, each destination has its channel). Every environment difference
 * (thresholds, `for`, severities, channels) is data here.
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
    readonly destinations: readonly [SlackDestination, ...SlackDestination[]];
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
  /**
   * Loki, when the stack installs it: the service dashboard then shows the
   * environment's logs by revision from the Grafana datasource of this uid.
   */
  readonly logs?: { readonly datasourceUid: string };
  readonly pushgateway: {
    readonly enabled: boolean;
    /** Its namespace (`addons.pushgateway.namespace`); the Service is always `PUSHGATEWAY_SERVICE`. */
    readonly namespace: string;
  };
}

export interface ObservabilityArgs {
  readonly spec: ObservabilitySpec;
  /** The cluster the environment lives in. */
  readonly provider: k8s.Provider;
  /** The environment's Namespace: everything here is created inside it, after it. */
  readonly namespace: pulumi.Resource;
  /**
   * What installs the Prometheus operator's CRDs (the kube-prometheus-stack
   * Release, or nothing when the cluster already has them). Every custom
   * resource waits for these, so a fresh cluster never sees "no matches for kind".
   */
  readonly crdDependencies: pulumi.Resource[];
  /**
   * Each Slack destination's incoming-webhook URL, by its key in the webhook
   * Secret (`spec.slack.destinations[].secretKey`); stored only in that
   * Kubernetes Secret, as Pulumi secrets.
   */
  readonly slackWebhooks: Readonly<Record<string, pulumi.Output<string>>>;
}
