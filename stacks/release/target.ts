import { deliveryNames } from "../../infra/delivery/builders/names";
import type { PlatformConfig } from "../config/parse";
import { ImageReference, formatImageReference, parseImageReference } from "./image";

type ServiceConfig = PlatformConfig["services"][number];

/** Which Rollout and container a release of one image changes. */
export interface ReleaseTarget {
  readonly service: string;
  readonly rollout: string;
  readonly container: string;
  /** The reference the pod template will carry: `repo@sha256:…` when a digest is given, else `repo:tag`. */
  readonly image: string;
  readonly reference: ImageReference;
}

/**
 * The service an image belongs to: the one named by `--service`, or else the
 * only one whose configured repository is the image's. Refuses an image from
 * another repository: a typo there would run someone else's code under this
 * service's name and credentials.
 */
export function releaseTarget(config: PlatformConfig, image: string, serviceName?: string): ReleaseTarget {
  const reference = parseImageReference(image);
  const names = config.services.map((s) => s.name);
  let service: ServiceConfig | undefined;
  if (serviceName !== undefined) {
    service = config.services.find((s) => s.name === serviceName);
    if (!service) throw new Error(`--service "${serviceName}" is not a service of stack ${config.stack}: pick one of ${names.join(", ")}`);
  } else {
    const matching = config.services.filter((s) => s.image === reference.repository);
    if (matching.length > 1) throw new Error(`--image ${reference.repository} is the repository of several services (${matching.map((s) => s.name).join(", ")}): pass --service`);
    service = matching[0];
    if (!service) {
      throw new Error(
        `--image "${image}": repository ${reference.repository} is not configured for any service of stack ${config.stack} (${config.services.map((s) => `${s.name}: ${s.image}`).join(", ")}); release an image of that repository, or change services[].image in Pulumi.${config.stack}.yaml first`,
      );
    }
  }
  if (service.image !== reference.repository) {
    throw new Error(
      `--image "${image}": repository ${reference.repository} differs from ${service.image}, the one configured for service ${service.name} in Pulumi.${config.stack}.yaml; release an image of ${service.image}, or change services[].image there first`,
    );
  }
  const d = deliveryNames(service);
  return { service: service.name, rollout: d.rollout, container: d.container, image: formatImageReference(reference), reference };
}
