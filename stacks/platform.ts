import { Environment } from "../infra/environment/component";
import { PlatformConfig } from "./config/parse";
import { Providers } from "./providers";

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
  return {
    environment: config.environment,
    namespace: environment.namespaceName,
  };
}
