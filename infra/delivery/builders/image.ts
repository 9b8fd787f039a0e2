import type { DeliveredService } from "../spec";

/**
 * The image the pods run: `repo@sha256:...` when pinned by digest (it names
 * exactly one image, whatever a tag is later moved to), else `repo:tag`. The
 * config edge refuses a floating `latest` and a service without either:
 * Argo Rollouts only starts a canary when the pod template changes, so a
 * moving tag would ship unanalysed on the next pod restart.
 */
export function imageReference(service: Pick<DeliveredService, "image" | "pin">): string {
  return "digest" in service.pin ? `${service.image}@${service.pin.digest}` : `${service.image}:${service.pin.tag}`;
}
