import type { LogShipperArgs } from "../infra/addons/log-shipper";
import type { LokiArgs } from "../infra/addons/loki";
import { DEFAULT_DASHBOARD_LABEL, DEFAULT_DATASOURCE_LABEL } from "../infra/catalogue/grafana";
import { platformLabels } from "../infra/catalogue/labels";
import { LOKI_DATASOURCE } from "../infra/catalogue/logs";
import { KUBE_PROMETHEUS_RELEASE, REGISTRY_PULL_SECRET } from "../infra/catalogue/names";
import { SLACK_DESTINATIONS, SLACK_WEBHOOK_SECRET_NAME } from "../infra/catalogue/slack";
import type { DeliverySpec, DeliveryStrategy } from "../infra/delivery";
import type { GovernanceSpec } from "../infra/governance";
import type { IngressSpec } from "../infra/ingress";
import type { ObservabilitySpec, SlackDestination } from "../infra/observability";
import type { PlatformConfig } from "./config/parse";

/*
 * The slices' specs as projections of the resolved config: every value was
 * checked and every default resolved at the edge (stacks/config), so these
 * only choose and rename fields; no fallbacks, no checks.
 */

type ServiceConfig = PlatformConfig["services"][number];

function strategyOf(config: PlatformConfig): DeliveryStrategy {
  const d = config.delivery;
  if (d.strategy === "blueGreen") {
    return { kind: "blueGreen", ...d.blueGreen, analysisCount: d.analysis.count };
  }
  return { kind: "canary", steps: d.canary.steps, ...(d.analysis.count === undefined ? {} : { analysisCount: d.analysis.count }) };
}

/** The delivery slice's view of one service: a projection of the stack config. */
export function deliverySpec(config: PlatformConfig, service: ServiceConfig): DeliverySpec {
  return {
    environment: config.environment,
    namespace: config.namespace.name,
    labels: { ...config.namespace.labels, ...platformLabels(config.environment) },
    service,
    strategy: strategyOf(config),
    slo: config.slo,
    analysis: { prometheusAddress: config.delivery.analysis.prometheusAddress, interval: config.delivery.analysis.interval, failureLimit: config.delivery.analysis.failureLimit },
    imageOwner: config.delivery.imageOwner,
    imagePullSecrets: config.registry === undefined ? [] : [REGISTRY_PULL_SECRET.name],
  };
}

/** The public endpoint's view of the stack config; undefined without `ingress`. */
export function ingressSpec(config: PlatformConfig): IngressSpec | undefined {
  const i = config.ingress;
  if (i === undefined) return undefined;
  return {
    environment: config.environment,
    namespace: config.namespace.name,
    labels: config.namespace.labels,
    host: i.host,
    className: i.className,
    backend: { serviceName: i.backend.stableServiceName, port: i.backend.port },
    tls: i.tls,
    annotations: i.annotations,
  };
}

/** The GitHub governance slice's view of the stack config. */
export function governanceSpec(config: PlatformConfig): GovernanceSpec {
  const g = config.github;
  return {
    owner: g.owner,
    repository: g.repository,
    environment: g.environment,
    deployBranch: g.deployBranch,
    protectDeployBranch: g.protectDeployBranch,
    requiredApprovals: g.requiredApprovals,
    requiredChecks: g.requiredChecks,
    ownsRepositorySettings: g.ownsRepositorySettings,
    // Each stack protects only its own deploy branch; two stacks protecting one branch would fight.
    otherBranches: [],
    dismissStaleReviews: g.dismissStaleReviews,
    requireCodeOwnerReviews: g.requireCodeOwnerReviews,
    enforceAdmins: g.enforceAdmins,
    reviewers: g.reviewers,
    preventSelfReview: g.preventSelfReview,
    waitTimerMinutes: g.waitTimerMinutes,
    protect: g.protect,
    security: g.security,
    quality: g.quality,
  };
}

/** A Slack destination of the config's routing, with its receiver and webhook Secret key from the catalogue. */
function slackDestination(d: PlatformConfig["observability"]["slack"]["destinations"][number]): SlackDestination {
  const { receiver, secretKey } = SLACK_DESTINATIONS[d.destination];
  return { receiver, channel: d.channel, secretKey, severities: d.severities };
}

/** The observability slice's view of the stack config. */
export function observabilitySpec(config: PlatformConfig): ObservabilitySpec {
  const o = config.observability;
  const [first, ...rest] = o.slack.destinations;
  return {
    environment: config.environment,
    namespace: config.namespace.name,
    labels: config.namespace.labels,
    services: config.services.map((s) => ({ name: s.name, port: s.port })),
    slo: config.slo,
    alerts: o.alerts,
    runbookBaseUrl: o.runbookBaseUrl,
    ruleSelectorLabels: { release: KUBE_PROMETHEUS_RELEASE },
    grafana: { folder: o.grafanaFolder, dashboardLabel: DEFAULT_DASHBOARD_LABEL },
    slack: {
      destinations: [slackDestination(first), ...rest.map(slackDestination)],
      secretName: SLACK_WEBHOOK_SECRET_NAME,
      sendResolved: o.slack.sendResolved,
    },
    notifications: o.notifications,
    doraEvaluationInterval: o.doraEvaluationInterval,
    pushgateway: { enabled: config.addons.pushgateway.install, namespace: config.addons.pushgateway.namespace },
    ...(config.addons.loki.install ? { logs: { datasourceUid: LOKI_DATASOURCE.uid } } : {}),
  };
}

/** The Loki add-on's view of the stack config: its own keys, and who may reach it. */
export function lokiSpec(config: PlatformConfig): Omit<LokiArgs, "provider" | "grafanaDependsOn"> {
  const { namespace, retention, storageSize } = config.addons.loki;
  return {
    namespace,
    retention,
    storageSize,
    shipperNamespace: config.addons.logShipper.namespace,
    grafanaNamespace: config.addons.kubePrometheusStack.namespace,
    datasourceLabel: DEFAULT_DATASOURCE_LABEL,
  };
}

/** The log shipper's view of the stack config. */
export function logShipperSpec(config: PlatformConfig): Omit<LogShipperArgs, "provider" | "dependsOn"> {
  return { namespace: config.addons.logShipper.namespace, sourceNamespaces: config.addons.logShipper.namespaces, lokiNamespace: config.addons.loki.namespace };
}

