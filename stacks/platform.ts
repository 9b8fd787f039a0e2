import { ArgoRollouts } from "../infra/addons/argo-rollouts";
import { CertManager } from "../infra/addons/cert-manager";
import { KubePrometheusStack } from "../infra/addons/kube-prometheus-stack";
import { LogShipper } from "../infra/addons/log-shipper";
import { Loki } from "../infra/addons/loki";
import { ApiKey } from "../infra/api-key";
import { PUSHGATEWAY_SERVICE } from "../infra/catalogue/pushgateway";
import { Delivery } from "../infra/delivery";
import { Deployer, DeployerSpec } from "../infra/deployer";
import { Environment } from "../infra/environment";
import { Governance } from "../infra/governance";
import { PublicEndpoint } from "../infra/ingress";
import { Observability } from "../infra/observability";
import { RegistryPullSecret } from "../infra/registry";
import { PlatformSecrets } from "./config/load";
import { PlatformConfig } from "./config/parse";
import { Providers } from "./providers";
import { deliverySpec, governanceSpec, ingressSpec, logShipperSpec, lokiSpec, observabilitySpec } from "./specs";

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
  // resolveSecrets reads registryPassword exactly where registry is set (the parser refused it
  // missing); a registry without it would deploy pods that cannot pull, so it is never skipped.
  const registryPassword = (): NonNullable<PlatformSecrets["registryPassword"]> => {
    if (secrets.registryPassword === undefined) throw new Error("registry is set but registryPassword was not read: the config layer's secret list and the stack disagree");
    return secrets.registryPassword;
  };
  const pullSecret =
    config.registry === undefined
      ? undefined
      : new RegistryPullSecret("agent-hive-registry", {
          spec: { environment: config.environment, namespace: config.namespace.name, server: config.registry.server, username: config.registry.username },
          password: registryPassword(),
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
