import { loadPlatformConfig } from "./config/load";
import type { ConfigMode } from "./config/parse";
import { buildPlatform } from "./platform";
import { createProviders } from "./providers";

/**
 * The Pulumi entry. It is an exported async function so that the offline plan
 * can run exactly this program once per stack in one process; Pulumi's Node.js
 * host calls it with no argument (a real deployment, which refuses placeholder
 * config) and publishes what it returns as stack outputs. The offline runner
 * passes "offline".
 */
export = async (mode: ConfigMode = "deploy") => {
  const { config, secrets } = loadPlatformConfig(mode);
  const providers = createProviders(config, secrets.kubeconfig);
  return buildPlatform(config, providers, secrets);
};
