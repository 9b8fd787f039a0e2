import { defaultStableServiceName, deliveryNames } from "../../infra/delivery/names";
import { imageReference } from "../../infra/delivery/image";
import { environmentSecretNames } from "../../infra/github/spec";
import { PUSHGATEWAY_SERVICE } from "../../infra/observability/pushgateway";
import type { PlatformConfig } from "../config/parse";
import { releaseTimeoutSeconds } from "./timeout";

/**
 * The branch of this (platform) repository whose push runs `pulumi up` of a
 * stack: `.github/workflows/platform-deploy.yml`'s jobs, as data, so a release
 * in stack mode knows where to commit the new image (a test holds the two
 * together). A stack missing here has no automatic deploy.
 */
export const PLATFORM_DEPLOY_BRANCHES: Readonly<Record<string, string>> = { staging: "develop", production: "main" };

export interface ReleaseRollout {
  /** The Rollout (`agent-hive-orchestrator`). */
  readonly name: string;
  /** The config's service name (`orchestrator`). */
  readonly service: string;
  /** The container whose image a release sets (the service name). */
  readonly container: string;
  /** The image the stack file pins, as the pod template carries it. */
  readonly image: string;
}

/** What a workflow needs to release to one stack; `npm run release -- info` prints it as JSON. */
export interface ReleaseInfo {
  readonly stack: string;
  readonly environment: string;
  readonly namespace: string;
  readonly imageOwner: "stack" | "pipeline";
  readonly githubEnvironment: string;
  /** The environment secret holding the deployer kubeconfig (`KUBE_CONFIG_STAGING`), as Governance names it. */
  readonly kubeConfigSecret: string;
  /** `kubernetes.context`: the context of the stack's own kubeconfig (platform-deploy.yml); null = its current one. The deployer kubeconfig has a single context and does not use it. */
  readonly kubeContext: string | null;
  /** The platform branch whose push deploys this stack; null = none (stack mode cannot release it). */
  readonly platformDeployBranch: string | null;
  readonly rollouts: readonly ReleaseRollout[];
  /** For `kubectl argo rollouts status --timeout`; see timeout.ts for the formula. */
  readonly timeoutSeconds: number;
  /**
   * Where a pipeline port-forwards to push DORA metrics; null when the stack
   * grants the deployer no port-forward there (addons.pushgateway.install: false).
   */
  readonly pushgateway: { readonly namespace: string; readonly service: string; readonly port: number } | null;
}

export function releaseInfo(config: PlatformConfig): ReleaseInfo {
  return {
    stack: config.stack,
    environment: config.environment,
    namespace: config.namespace.name,
    imageOwner: config.delivery.imageOwner,
    githubEnvironment: config.github.environment,
    kubeConfigSecret: environmentSecretNames(config.github.environment).kubeconfig,
    kubeContext: config.kubernetes.context ?? null,
    platformDeployBranch: PLATFORM_DEPLOY_BRANCHES[config.stack] ?? null,
    rollouts: config.services.map((s) => {
      const names = deliveryNames({ name: s.name, stableServiceName: s.stableServiceName ?? defaultStableServiceName(s.name) });
      return { name: names.rollout, service: s.name, container: names.container, image: imageReference(s) };
    }),
    timeoutSeconds: releaseTimeoutSeconds(config.delivery),
    // Mirrors the deployer's grant (stacks/platform.ts): no grant, no port-forward.
    pushgateway: config.addons.pushgateway.install
      ? { namespace: config.addons.pushgateway.namespace, service: PUSHGATEWAY_SERVICE.name, port: PUSHGATEWAY_SERVICE.port.number }
      : null,
  };
}
