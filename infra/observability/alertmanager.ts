import type { IAlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import type { ISecret } from "kubernetes-models/v1/Secret";
import { stringify } from "yaml";
import { APP } from "../catalogue/names";
import { ObservabilitySpec, Severity, observabilityLabels, operatorSelectedLabels } from "./spec";

/*
 * Alert routing, defined once (`alertRouting`) and rendered twice: as the
 * AlertmanagerConfig the operator merges into Alertmanager, and as native
 * Alertmanager config shaped the way the operator generates it, for
 * `amtool check-config` and `amtool config routes test`.
 */

export const ALERTMANAGER_CONFIG_NAME = `${APP}-alerts`;

/** Alerts of one group are batched this long before the first notification. */
const GROUP_WAIT = "30s";
const GROUP_INTERVAL = "5m";
/** A still-firing critical alert is repeated hourly; a warning twice a working day. */
const REPEAT_INTERVAL: Record<Exclude<Severity, "info">, string> = { critical: "1h", warning: "4h" };

export interface SlackReceiver {
  readonly name: string;
  readonly channel: string;
  readonly sendResolved: boolean;
  readonly title: string;
  readonly text: string;
}

export interface RouteMatcher {
  readonly name: string;
  readonly value: string;
}

export interface Route {
  readonly receiver: string;
  readonly matchers: readonly RouteMatcher[];
  readonly groupBy?: readonly string[];
  readonly groupWait?: string;
  readonly groupInterval?: string;
  readonly repeatInterval?: string;
  readonly routes?: readonly Route[];
}

export interface AlertRouting {
  readonly name: string;
  readonly namespace: string;
  readonly route: Route;
  readonly receivers: readonly SlackReceiver[];
}

const SLACK_TITLE = "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.environment }})";
const SLACK_TEXT =
  "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}";

/**
 * Critical alerts to the critical channel, warnings to the warning channel;
 * anything else (info) falls back to the warning channel rather than nowhere.
 */
export function alertRouting(spec: ObservabilitySpec): AlertRouting {
  const receiver = (name: string, channel: string): SlackReceiver => ({
    name,
    channel,
    sendResolved: spec.slack.sendResolved,
    title: SLACK_TITLE,
    text: SLACK_TEXT,
  });
  const critical = receiver("slack-critical", spec.slack.channelCritical);
  const warning = receiver("slack-warning", spec.slack.channelWarning);
  const bySeverity = (severity: keyof typeof REPEAT_INTERVAL, to: SlackReceiver): Route => ({
    receiver: to.name,
    matchers: [{ name: "severity", value: severity }],
    repeatInterval: REPEAT_INTERVAL[severity],
  });
  return {
    name: ALERTMANAGER_CONFIG_NAME,
    namespace: spec.namespace,
    route: {
      receiver: warning.name,
      matchers: [],
      groupBy: ["alertname", "namespace"],
      groupWait: GROUP_WAIT,
      groupInterval: GROUP_INTERVAL,
      repeatInterval: REPEAT_INTERVAL.warning,
      routes: [bySeverity("critical", critical), bySeverity("warning", warning)],
    },
    receivers: [critical, warning],
  };
}

type CrRoute = NonNullable<IAlertmanagerConfig["spec"]["route"]>;

function crRoute(route: Route): CrRoute {
  return {
    receiver: route.receiver,
    ...(route.matchers.length > 0 ? { matchers: route.matchers.map((m) => ({ name: m.name, value: m.value, matchType: "=" as const })) } : {}),
    ...(route.groupBy ? { groupBy: [...route.groupBy] } : {}),
    ...(route.groupWait ? { groupWait: route.groupWait } : {}),
    ...(route.groupInterval ? { groupInterval: route.groupInterval } : {}),
    ...(route.repeatInterval ? { repeatInterval: route.repeatInterval } : {}),
    ...(route.routes ? { routes: route.routes.map(crRoute) } : {}),
  };
}

/**
 * The routing as an AlertmanagerConfig. The webhook URL is read by the
 * operator from the Secret the component creates; it never appears here.
 */
export function buildAlertmanagerConfig(spec: ObservabilitySpec): IAlertmanagerConfig {
  const routing = alertRouting(spec);
  return {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "AlertmanagerConfig",
    metadata: { name: routing.name, namespace: routing.namespace, labels: operatorSelectedLabels(spec) },
    spec: {
      route: crRoute(routing.route),
      receivers: routing.receivers.map((r) => ({
        name: r.name,
        slackConfigs: [
          {
            apiURL: { name: spec.slack.receiverSecretName, key: spec.slack.receiverSecretKey },
            channel: r.channel,
            sendResolved: r.sendResolved,
            title: r.title,
            text: r.text,
          },
        ],
      })),
    },
  };
}

/**
 * The Secret that holds the Slack webhook, without its data: the component
 * adds the value as a Pulumi secret, so no builder output ever holds it.
 */
export function buildSlackWebhookSecret(spec: ObservabilitySpec): ISecret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: { name: spec.slack.receiverSecretName, namespace: spec.namespace, labels: observabilityLabels(spec) },
  };
}

/** The operator names a config's receivers `<namespace>/<config name>/<receiver>` in the merged config. */
export function mergedReceiverName(routing: Pick<AlertRouting, "name" | "namespace">, receiver: string): string {
  return `${routing.namespace}/${routing.name}/${receiver}`;
}

interface NativeRoute {
  receiver: string;
  matchers?: string[];
  continue?: boolean;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: NativeRoute[];
}

const matcherString = (m: RouteMatcher) => `${m.name}=${JSON.stringify(m.value)}`;

function nativeRoute(routing: AlertRouting, route: Route, extraMatchers: readonly RouteMatcher[] = []): NativeRoute {
  const matchers = [...extraMatchers, ...route.matchers];
  return {
    receiver: mergedReceiverName(routing, route.receiver),
    ...(matchers.length > 0 ? { matchers: matchers.map(matcherString) } : {}),
    ...(route.groupBy ? { group_by: [...route.groupBy] } : {}),
    ...(route.groupWait ? { group_wait: route.groupWait } : {}),
    ...(route.groupInterval ? { group_interval: route.groupInterval } : {}),
    ...(route.repeatInterval ? { repeat_interval: route.repeatInterval } : {}),
    ...(route.routes ? { routes: route.routes.map((r) => nativeRoute(routing, r)) } : {}),
  };
}

/** The root receiver of the merged config: kube-prometheus-stack's default drops what no route takes. */
export const NULL_RECEIVER = "null";

/**
 * The routing in Alertmanager's own config format, as the operator merges it
 * (with its default OnNamespace matcher strategy): the config's route becomes
 * a child of the root, matching only alerts labelled with its namespace and
 * continuing so other configs see them too. The webhook is a placeholder the
 * caller gives, never the real secret.
 */
export function alertmanagerYaml(spec: ObservabilitySpec, webhookUrlPlaceholder: string): string {
  const routing = alertRouting(spec);
  const top = nativeRoute(routing, routing.route, [{ name: "namespace", value: routing.namespace }]);
  return stringify({
    route: { receiver: NULL_RECEIVER, routes: [{ ...top, continue: true }] },
    receivers: [
      { name: NULL_RECEIVER },
      ...routing.receivers.map((r) => ({
        name: mergedReceiverName(routing, r.name),
        slack_configs: [{ api_url: webhookUrlPlaceholder, channel: r.channel, send_resolved: r.sendResolved, title: r.title, text: r.text }],
      })),
    ],
  }, { lineWidth: 0 });
}
