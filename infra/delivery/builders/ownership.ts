import type { DeliverySpec } from "../spec";

/** The Rollout's image, as a Pulumi property path (the service container is the only one). */
export const ROLLOUT_IMAGE_PATH = "spec.template.spec.containers[0].image";

/**
 * The Rollout's `ignoreChanges`. When the application's pipeline owns the
 * image (`kubectl argo rollouts set image`), `pulumi up` keeps the image it
 * finds instead of rolling production back to the tag in config. The config
 * tag then only seeds the first creation.
 *
 * Known limit (pulumi-kubernetes 4.x, server-side apply): the provider drops
 * an ignored field from its apply only for paths without list indexes, so a
 * later Pulumi update of other Rollout fields still sends the image it last
 * applied, and the API server refuses it as a conflict with the pipeline's
 * field manager. That fails loudly instead of reverting the image, as long as
 * applies are not forced (no `pulumi.com/patchForce`, no provider
 * `enablePatchForce`). Ignoring all of `spec.template.spec.containers` would
 * avoid the conflict, at the price of freezing probes and resources too.
 */
export function rolloutIgnoreChanges(spec: Pick<DeliverySpec, "imageOwner">): string[] {
  return spec.imageOwner === "pipeline" ? [ROLLOUT_IMAGE_PATH] : [];
}
