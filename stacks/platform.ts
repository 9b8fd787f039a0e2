import { ArgoRollouts } from "../infra/addons/argo-rollouts";
import { CertManager } from "../infra/addons/cert-manager";
import { KubePrometheusStack } from "../infra/addons/kube-prometheus-stack";
import { LogShipper, LogShipperArgs } from "../infra/addons/log-shipper";
import { Loki, LokiArgs } from "../infra/addons/loki";
import { ApiKey } from "../infra/api-key";
import { DEFAULT_DASHBOARD_LABEL, DEFAULT_DATASOURCE_LABEL } from "../infra/catalogue/grafana";
import { LOKI_DATASOURCE } from "../infra/catalogue/logs";
import { platformLabels } from "../infra/catalogue/labels";
import { KUBE_PROMETHEUS_RELEASE, REGISTRY_PULL_SECRET } from "../infra/catalogue/names";
import { PUSHGATEWAY_SERVICE } from "../infra/catalogue/pushgateway";
import { SLACK_DESTINATIONS, SLACK_WEBHOOK_SECRET_NAME } from "../infra/catalogue/slack";
import { Delivery, DeliverySpec, DeliveryStrategy } from "../infra/delivery";
import { Deployer, DeployerSpec } from "../infra/deployer";
import { Environment } from "../infra/environment";
import { Governance, GovernanceSpec } from "../infra/governance";
import { IngressSpec, PublicEndpoint } from "../infra/ingress";
import { Observability, ObservabilitySpec, SlackDestination } from "../infra/observability";
import { RegistryPullSecret } from "../infra/registry";
import { PlatformSecrets } from "./config/load";
import { PlatformConfig } from "./config/parse";
import { Providers } from "./providers";

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

/** Everything one environment consists of; the same for every stack, driven only by config. */
export function buildPlatform(config: PlatformConfig, providers: Providers, secrets: PlatformSecrets) {
  // Logical names are fixed: they are URNs, and a rename would replace the namespace.
  const environment = new Environment("agent-hive", {
    spec: {
      environment: config.environment,
      namespace: config.namespace.name,
      labels: config.namespace.labels,
      quota: config.namespace.quota,
      containerDefaults: config.namespace.containerDefaults,
      // Prometheus scrapes from the add-on's namespace, the ingress controller
      // serves from the Ingress's: one key for each fact.
      network: {
        ...config.namespace.network,
        monitoringNamespace: config.addons.kubePrometheusStack.namespace,
        ...(config.ingress === undefined
          ? {}
          : { ingress: { controllerNamespace: config.ingress.controllerNamespace, acmeHttp01Solver: config.ingress.tls.clusterIssuer !== undefined } }),
      },
      servicePorts: config.services.map((s) => s.port),
    },
    provider: providers.kubernetes,
    protect: config.namespace.protect,
  });

  const kpsConfig = config.addons.kubePrometheusStack;
  const kps = kpsConfig.install
    ? new KubePrometheusStack("kube-prometheus-stack", {
        provider: providers.kubernetes,
        namespace: kpsConfig.namespace,
        pushgateway: config.addons.pushgateway,
        protect: false,
      })
    : undefined;
  const argo = config.addons.argoRollouts.install
    ? new ArgoRollouts("argo-rollouts", {
        namespace: config.addons.argoRollouts.namespace,
        provider: providers.kubernetes,
        monitoring: kps ? { selectorLabels: kps.selectorLabels, crdDependencies: kps.crdDependencies } : undefined,
      })
    : undefined;
  const loki = config.addons.loki.install
    ? new Loki("loki", { ...lokiSpec(config), provider: providers.kubernetes, grafanaDependsOn: kps ? [kps.namespace] : [] })
    : undefined;
  if (config.addons.logShipper.install) {
    new LogShipper("log-shipper", { ...logShipperSpec(config), provider: providers.kubernetes, dependsOn: loki ? [loki.release] : [] });
  }
  const cm = config.addons.certManager;
  const certManager = cm.install
    ? new CertManager("cert-manager", {
        provider: providers.kubernetes,
        namespace: cm.namespace,
        // rules.ts refuses an ACME issuer without an ingress to answer its challenges.
        acme: cm.acme === undefined || config.ingress === undefined ? undefined : { ...cm.acme, ingressClassName: config.ingress.className },
      })
    : undefined;
  const observability = observabilitySpec(config);
  new Observability("agent-hive-observability", {
    spec: observability,
    provider: providers.kubernetes,
    namespace: environment.namespace,
    crdDependencies: kps ? kps.crdDependencies : [],
    slackWebhooks: secrets.slackWebhooks,
  });

  const deployerSpec: DeployerSpec = {
    environment: config.environment,
    namespace: config.namespace.name,
    imageOwner: config.delivery.imageOwner,
    pushgateway: config.addons.pushgateway.install ? { namespace: config.addons.pushgateway.namespace, serviceName: PUSHGATEWAY_SERVICE.name } : undefined,
  };
  const deployer = new Deployer("agent-hive-deployer", {
    spec: deployerSpec,
    provider: providers.kubernetes,
    namespace: environment.namespace,
    pushgatewayDependsOn: kps?.pushgateway ? [kps.pushgateway.namespace] : [],
    cluster: {
      clusterName: config.kubernetes.clusterName,
      endpoint: config.kubernetes.apiServer,
      caData: config.kubernetes.caData,
    },
  });
  const apiKey = new ApiKey("agent-hive-api-key", { spec: deployerSpec, provider: providers.kubernetes, namespace: environment.namespace });
  // resolveSecrets reads registryPassword exactly where registry is set (the parser refused it missing).
  const pullSecret =
    config.registry === undefined || secrets.registryPassword === undefined
      ? undefined
      : new RegistryPullSecret("agent-hive-registry", {
          spec: { environment: config.environment, namespace: config.namespace.name, server: config.registry.server, username: config.registry.username },
          password: secrets.registryPassword,
          provider: providers.kubernetes,
          namespace: environment.namespace,
        });
  const deliveries = config.services.map(
    (service) =>
      new Delivery(service.name, {
        spec: deliverySpec(config, service),
        provider: providers.kubernetes,
        namespace: environment.namespace,
        crdDependencies: argo ? [argo.release] : [],
        podDependencies: [apiKey, ...(pullSecret === undefined ? [] : [pullSecret])],
      }),
  );
  const endpoint = ingressSpec(config);
  const publicEndpoint =
    endpoint === undefined
      ? undefined
      : new PublicEndpoint("agent-hive-endpoint", {
          spec: endpoint,
          provider: providers.kubernetes,
          namespace: environment.namespace,
          dependsOn: [
            ...deliveries.filter((d) => d.stableServiceName === endpoint.backend.serviceName).map((d) => d.clientService),
            ...(certManager?.clusterIssuer ? [certManager.clusterIssuer] : []),
          ],
        });

  // Without GitHub (github.manage: false) the deployer kubeconfig and API key stay in the cluster.
  const governance = providers.github
    ? new Governance("agent-hive-github", {
        spec: governanceSpec(config),
        provider: providers.github,
        kubeconfig: deployer.kubeconfig,
        apiKey: apiKey.value,
        repositorySecrets: secrets.repositorySecrets,
      })
    : undefined;
  return {
    environment: config.environment,
    namespace: environment.namespaceName,
    rollouts: deliveries.map((d) => d.rolloutName),
    ...(publicEndpoint ? { url: publicEndpoint.url } : {}),
    ...(governance
      ? { githubEnvironment: governance.environmentName, environmentSecrets: [governance.secretNames.kubeconfig, governance.secretNames.apiKey] }
      : {}),
    // A secret output: `pulumi stack output --show-secrets grafanaAdminPassword`.
    ...(kps ? { grafanaAdminPassword: kps.grafanaAdminPassword } : {}),
  };
}
