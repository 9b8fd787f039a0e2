import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/** The tag of an image reference, or undefined when it has none (a port is not a tag). */
function tagOf(image: string): string | undefined {
  const name = image.split("@")[0];
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? name.slice(colon + 1) : undefined;
}

export const imagesMustBePinned = resourcePolicy<{ requireDigest: boolean }>({
  name: "images-must-be-pinned",
  area: "kubernetes-hardening",
  description: "Every container image is pinned: never `latest` or untagged, and by digest where config requires it.",
  remediation: "set services[].tag to a release tag, or services[].digest to sha256:<digest> (required where requireDigest is true)",
  config: {
    schema: { properties: { requireDigest: { type: "boolean", default: false } } },
    defaults: { requireDigest: false },
  },
  validate: (args, report, config) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const c of w.containers) {
      const image = c.image ?? "";
      if (DIGEST.test(image)) continue;
      const tag = tagOf(image);
      if (config.requireDigest) report(`${w.kind} ${w.name}: container ${c.name} image ${image} is not pinned by digest`);
      else if (tag === undefined || tag.toLowerCase() === "latest") report(`${w.kind} ${w.name}: container ${c.name} image ${image} is not pinned (${tag ?? "no tag"})`);
    }
  },
});
