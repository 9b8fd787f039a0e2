import { ImageOwner, environmentSecretNames } from "../../infra/catalogue/pipeline";
import { deliveryNames } from "../../infra/delivery/builders/names";
import { imageReference } from "../../infra/delivery/builders/image";
import { PUSHGATEWAY_SERVICE } from "../../infra/catalogue/pushgateway";
import type { PlatformConfig } from "../config/parse";
import { releaseTimeoutSeconds } from "./timeout";

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
  readonly imageOwner: ImageOwner;
  readonly githubEnvironment: string;
  /** The environment secret holding the deployer kubeconfig (`KUBE_CONFIG_STAGING`), as Governance names it. */
  readonly kubeConfigSecret: string;
  /** `kubernetes.context`: the context of the stack's own kubeconfig (platform-deploy.yml); null = its current one. The deployer kubeconfig has a single context and does not use it. */
  readonly kubeContext: string | null;
  /**
   * The branch of this (platform) repository whose push runs `pulumi up` of the
   * stack (platform-deploy.yml's matrix, from `npm run release -- stacks`): the
   * stack's `github.deployBranch`, the same branch model as the application's.
   * A release in stack mode commits the new image there.
   */
  readonly platformDeployBranch: string;
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
    platformDeployBranch: config.github.deployBranch,
    rollouts: config.services.map((s) => {
      const names = deliveryNames(s);
      return { name: names.rollout, service: s.name, container: names.container, image: imageReference(s) };
    }),
    timeoutSeconds: releaseTimeoutSeconds(config.delivery),
    // Mirrors the deployer's grant (stacks/platform.ts): no grant, no port-forward.
    pushgateway: config.addons.pushgateway.install
      ? { namespace: config.addons.pushgateway.namespace, service: PUSHGATEWAY_SERVICE.name, port: PUSHGATEWAY_SERVICE.port.number }
      : null,
  };
}
