import type { IAlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import type { ISecret } from "kubernetes-models/v1/Secret";
import { APP } from "../../catalogue/names";
import type { ObservabilitySpec } from "../spec";
import { observabilityLabels, operatorSelectedLabels } from "./labels";

/*
 * Alert routing, defined once (`alertRouting`) and rendered as the
 * AlertmanagerConfig the operator merges into Alertmanager. The tests merge
 * the planned object the way the operator does (test/support) and run the
 * result in amtool and in a live Alertmanager.
 */

export const ALERTMANAGER_CONFIG_NAME = `${APP}-alerts`;

export interface SlackReceiver {
  readonly name: string;
  readonly channel: string;
  /** The key in the webhook Secret holding this receiver's own webhook URL. */
  readonly secretKey: string;
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
 * One route per severity to the destination that takes it, each with that
 * severity's repeat interval; the last destination is also the catch-all.
 * Resolved notifications carry the alert's labels, so they take the same route.
 */
export function alertRouting(spec: ObservabilitySpec): AlertRouting {
  const { destinations } = spec.slack;
  const { notifications } = spec;
  const receivers: SlackReceiver[] = destinations.map((d) => ({
    name: d.receiver,
    channel: d.channel,
    secretKey: d.secretKey,
    sendResolved: spec.slack.sendResolved,
    title: SLACK_TITLE,
    text: SLACK_TEXT,
  }));
  const catchAll = destinations[destinations.length - 1];
  const routes: Route[] = destinations.flatMap((d) =>
    d.severities.map((severity) => ({
      receiver: d.receiver,
      matchers: [{ name: "severity", value: severity }],
      repeatInterval: notifications.repeatInterval[severity],
    })),
  );
  return {
    name: ALERTMANAGER_CONFIG_NAME,
    namespace: spec.namespace,
    route: {
      receiver: catchAll.receiver,
      matchers: [],
      groupBy: ["alertname", "namespace"],
      groupWait: notifications.groupWait,
      groupInterval: notifications.groupInterval,
      repeatInterval: notifications.repeatInterval.warning,
      routes,
    },
    receivers,
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
            apiURL: { name: spec.slack.secretName, key: r.secretKey },
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
 * The Secret that holds the Slack webhooks, one key per destination, without its data: the component
 * adds the value as a Pulumi secret, so no builder output ever holds it.
 */
export function buildSlackWebhookSecret(spec: ObservabilitySpec): ISecret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: { name: spec.slack.secretName, namespace: spec.namespace, labels: observabilityLabels(spec) },
  };
}
