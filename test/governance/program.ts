import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiKey } from "../../infra/api-key";
import { Deployer, DeployerSpec } from "../../infra/deployer";
import { Governance, GovernanceSpec } from "../../infra/governance";
import { loadPlatformConfig } from "../../stacks/config/load";
import type { ConfigMode } from "../../stacks/config/parse";
import { PlatformConfig } from "../../stacks/config/parse";
import { governanceSpec } from "../../stacks/specs";
import { createProviders } from "../../stacks/providers";

/** Values no plan may ever show. Each is unique so a leak names its path. */
export const SENTINELS = {
  kubeconfig: "SENTINEL-KUBECONFIG-c41d9e",
  apiKey: "SENTINEL-API-KEY-7b2f10",
  SLACK_WEBHOOK: "SENTINEL-SLACK-WEBHOOK-e83a55",
  SNYK_TOKEN: "SENTINEL-SNYK-TOKEN-19cc04",
  CODECOV_TOKEN: "SENTINEL-CODECOV-TOKEN-5d7e2a",
} as const;

/** A base64 PEM that passes the deployer's CA check; not a real certificate. */
export const TEST_CA = Buffer.from("-----BEGIN CERTIFICATE-----\nTEST-CA-NOT-REAL\n-----END CERTIFICATE-----\n").toString("base64");

/** The platform's own mapping of the stack config to a GovernanceSpec, with a test's overrides. */
export function specFromConfig(config: PlatformConfig, over: Partial<GovernanceSpec> = {}): GovernanceSpec {
  return { ...governanceSpec(config), ...over };
}

export interface ProgramOptions {
  /** Feed Governance sentinel values (as plain, non-secret Outputs) instead of the Deployer's and ApiKey's outputs. */
  readonly sentinels: boolean;
  readonly spec?: Partial<GovernanceSpec>;
}

/**
 * A small Pulumi program: the stack's explicit providers, a namespace, and
 * the deployer, API key and governance components wired as the platform will.
 */
export function governanceProgram(options: ProgramOptions): (mode: ConfigMode) => Promise<Record<string, pulumi.Output<unknown>>> {
  return async (mode) => {
    const { config } = loadPlatformConfig(mode);
    const providers = createProviders(config, undefined);
    const namespace = new k8s.core.v1.Namespace("test-namespace", { metadata: { name: config.namespace.name } }, { provider: providers.kubernetes });
    const deployerSpec: DeployerSpec = { environment: config.environment, namespace: config.namespace.name, imageOwner: config.delivery.imageOwner };
    const deployer = new Deployer("agent-hive-deployer", {
      spec: deployerSpec,
      provider: providers.kubernetes,
      namespace,
      cluster: { clusterName: `agent-hive-${config.environment}`, endpoint: `https://k8s.${config.environment}.example.test:6443`, caData: TEST_CA },
    });
    const apiKey = new ApiKey("agent-hive-api-key", { spec: deployerSpec, provider: providers.kubernetes, namespace });
    // Plain Outputs on purpose: the components must make them secrets even when a caller forgets.
    const secret = (value: string) => pulumi.output(value);
    if (!providers.github) throw new Error("the test stacks manage GitHub");
    new Governance("agent-hive-github", {
      spec: specFromConfig(config, options.spec),
      provider: providers.github,
      kubeconfig: options.sentinels ? secret(SENTINELS.kubeconfig) : deployer.kubeconfig,
      apiKey: options.sentinels ? secret(SENTINELS.apiKey) : apiKey.value,
      repositorySecrets: options.sentinels
        ? { SLACK_WEBHOOK: secret(SENTINELS.SLACK_WEBHOOK), SNYK_TOKEN: secret(SENTINELS.SNYK_TOKEN), CODECOV_TOKEN: secret(SENTINELS.CODECOV_TOKEN) }
        : undefined,
    });
    // Unknown in preview, so the plan cannot show their secretness: publish it.
    const isSecret = (o: pulumi.Output<string>) => pulumi.output(pulumi.isSecret(o));
    return { kubeconfig: deployer.kubeconfig, apiKey: apiKey.value, kubeconfigIsSecret: isSecret(deployer.kubeconfig), apiKeyIsSecret: isSecret(apiKey.value) };
  };
}
