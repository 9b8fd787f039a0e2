import type { DeliveredService } from "../spec";

/**
 * The image the pods run: `repo@sha256:...` when a digest is set (it names
 * exactly one image, whatever a tag is later moved to), else `repo:tag`. No
 * floating `latest`: Argo Rollouts only starts a canary when the pod template
 * changes, so a moving tag would ship unanalysed on the next pod restart.
 */
export function imageReference(service: Pick<DeliveredService, "name" | "image" | "tag" | "digest">): string {
  if (service.digest !== undefined) return `${service.image}@${service.digest}`;
  if (service.tag === undefined || service.tag.toLowerCase() === "latest") {
    throw new Error(`service ${service.name}: image ${service.image} needs a pinned tag (such as 1.4.2) or a digest (sha256:...), got ${service.tag ?? "none"}`);
  }
  return `${service.image}:${service.tag}`;
}
