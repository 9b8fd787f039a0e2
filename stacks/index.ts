import { loadPlatformConfig } from "./config/load";
import { buildPlatform } from "./platform";
import { createProviders } from "./providers";

/**
 * The Pulumi entry. It is an exported async function so that the offline plan
 * can run exactly this program once per stack in one process; Pulumi's Node.js
 * host calls it and publishes what it returns as stack outputs.
 */
export = async () => {
  const { config, secrets } = loadPlatformConfig();
  const providers = createProviders(config, secrets.kubeconfig);
  return buildPlatform(config, providers, secrets);
};
