import { ArgoRollouts } from "../infra/addons/argo-rollouts";
import { prometheusAddress } from "../infra/catalogue/names";
import { Delivery, DeliverySpec, DeliveryStrategy, defaultStableServiceName } from "../infra/delivery";
import { commonLabels } from "../infra/environment/builders";
import { Environment } from "../infra/environment/component";
import { PlatformConfig } from "./config/parse";
import { Providers } from "./providers";

type ServiceConfig = PlatformConfig["services"][number];

function strategyOf(config: PlatformConfig): DeliveryStrategy {
  const d = config.delivery;
  if (d.strategy === "blueGreen") {
    const bg = d.blueGreen ?? { autoPromotionEnabled: false, scaleDownDelaySeconds: 30 };
    return { kind: "blueGreen", autoPromotionEnabled: bg.autoPromotionEnabled, autoPromotionSeconds: bg.autoPromotionSeconds, scaleDownDelaySeconds: bg.scaleDownDelaySeconds };
  }
  return { kind: "canary", steps: d.canary?.steps ?? [] };
}

/** The delivery slice's view of one service: a projection of the stack config. */
export function deliverySpec(config: PlatformConfig, service: ServiceConfig): DeliverySpec {
  return {
    environment: config.environment,
    namespace: config.namespace.name,
    labels: { ...config.namespace.labels, ...commonLabels(config) },
    service: { ...service, stableServiceName: service.stableServiceName ?? defaultStableServiceName(service.name) },
    defaultResources: { request: config.namespace.containerDefaults.request, limit: config.namespace.containerDefaults.limit },
    strategy: strategyOf(config),
    slo: config.slo,
    analysis: {
      prometheusAddress: config.delivery.analysis.prometheusAddress ?? prometheusAddress(config.addons.kubePrometheusStack.namespace),
      interval: config.delivery.analysis.interval,
      failureLimit: config.delivery.analysis.failureLimit,
      count: config.delivery.analysis.count,
    },
    imageOwner: config.delivery.imageOwner,
  };
}

/** Everything one environment consists of; the same for every stack, driven only by config. */
export function buildPlatform(config: PlatformConfig, providers: Providers) {
  // Logical names are fixed: they are URNs, and a rename would replace the namespace.
  const environment = new Environment("agent-hive", {
    spec: {
      environment: config.environment,
      namespace: config.namespace.name,
      labels: config.namespace.labels,
      quota: config.namespace.quota,
      containerDefaults: config.namespace.containerDefaults,
      network: config.namespace.network,
      servicePorts: config.services.map((s) => s.port),
    },
    provider: providers.kubernetes,
    protect: config.namespace.protect,
  });

  const argo = config.addons.argoRollouts.install
    ? new ArgoRollouts("argo-rollouts", { namespace: config.addons.argoRollouts.namespace, provider: providers.kubernetes })
    : undefined;

  const deliveries = config.services.map(
    (service) =>
      new Delivery(service.name, {
        spec: deliverySpec(config, service),
        provider: providers.kubernetes,
        namespace: environment.namespace,
        crdDependencies: argo ? [argo.release] : [],
      }),
  );

  return {
    environment: config.environment,
    namespace: environment.namespaceName,
    rollouts: deliveries.map((d) => d.rolloutName),
  };
}
