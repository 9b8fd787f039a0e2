import type { IAlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { stringify } from "yaml";

/*
 * What the Prometheus operator does with AlertmanagerConfig objects, for the
 * tests: it merges each one into Alertmanager's own config under a root route,
 * with its default OnNamespace matcher strategy. Written from the operator's
 * behaviour (pkg/alertmanager/amcfg.go):
 * - a config's receivers are renamed `<namespace>/<config name>/<receiver>`;
 * - its top route becomes a child of the root, gains a `namespace="<ns>"`
 *   matcher and `continue: true`, so it sees only its own namespace's alerts
 *   and the next config still sees them;
 * - secret references (`apiURL`) are read from the named Secret's key.
 * The tests feed it the AlertmanagerConfig objects the plan registers, so what
 * amtool and the live Alertmanager run is derived from what `pulumi up` applies.
 */

type CrSpec = IAlertmanagerConfig["spec"];
type CrRoute = NonNullable<CrSpec["route"]>;

/** Reads a Secret key in a namespace: the test's stand-in for the API server. */
export type SecretReader = (namespace: string, name: string, key: string) => string;

/** The root receiver kube-prometheus-stack's default config sends unmatched alerts to. */
export const NULL_RECEIVER = "null";

/** The operator's name for a config's receiver in the merged config. */
export function mergedReceiverName(config: { readonly namespace: string; readonly name: string }, receiver: string): string {
  return `${config.namespace}/${config.name}/${receiver}`;
}

interface NativeRoute {
  receiver?: string;
  matchers?: string[];
  continue?: boolean;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: NativeRoute[];
}

function nativeRoute(route: CrRoute, rename: (r: string) => string, extra: string[] = []): NativeRoute {
  const matchers = [...extra, ...(route.matchers ?? []).map((m) => `${m.name}${m.matchType ?? "="}${JSON.stringify(m.value ?? "")}`)];
  const children = (route.routes ?? []) as CrRoute[];
  return {
    ...(route.receiver ? { receiver: rename(route.receiver) } : {}),
    ...(matchers.length > 0 ? { matchers } : {}),
    ...(route.continue ? { continue: true } : {}),
    ...(route.groupBy ? { group_by: [...route.groupBy] } : {}),
    ...(route.groupWait ? { group_wait: route.groupWait } : {}),
    ...(route.groupInterval ? { group_interval: route.groupInterval } : {}),
    ...(route.repeatInterval ? { repeat_interval: route.repeatInterval } : {}),
    ...(children.length > 0 ? { routes: children.map((c) => nativeRoute(c, rename)) } : {}),
  };
}

/** Alertmanager's config for a set of AlertmanagerConfig objects, as the operator merges them. */
export function mergeAlertmanagerConfigs(configs: readonly IAlertmanagerConfig[], readSecret: SecretReader): string {
  const routes: NativeRoute[] = [];
  const receivers: object[] = [{ name: NULL_RECEIVER }];
  for (const config of configs) {
    const namespace = config.metadata?.namespace ?? "";
    const id = { namespace, name: config.metadata?.name ?? "" };
    const rename = (r: string) => mergedReceiverName(id, r);
    if (config.spec.route) routes.push({ ...nativeRoute(config.spec.route, rename, [`namespace=${JSON.stringify(namespace)}`]), continue: true });
    for (const r of config.spec.receivers ?? []) {
      receivers.push({
        name: rename(r.name),
        ...(r.slackConfigs
          ? {
              slack_configs: r.slackConfigs.map((s) => ({
                api_url: s.apiURL?.name ? readSecret(namespace, s.apiURL.name, s.apiURL.key) : undefined,
                channel: s.channel,
                send_resolved: s.sendResolved,
                title: s.title,
                text: s.text,
              })),
            }
          : {}),
      });
    }
  }
  return stringify({ route: { receiver: NULL_RECEIVER, routes }, receivers }, { lineWidth: 0 });
}
