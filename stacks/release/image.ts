// Docker's own grammar (distribution/reference): the patterns the stack config checks services[].image, tag and digest with.
import { FLOATING_TAGS, IMAGE_DIGEST as DIGEST, IMAGE_REPOSITORY as REPOSITORY, IMAGE_TAG as TAG, isFloatingTag } from "../config/schema";

export { FLOATING_TAGS };

/**
 * Image references as a release hands them over: `repo:tag`, `repo@sha256:…`
 * or `repo:tag@sha256:…`. Only a pinned reference may be released: Argo
 * Rollouts starts a canary only when the pod template's image string changes,
 * so a moving tag (`latest`, or a branch name as docker/metadata-action makes
 * for a branch push) would either release nothing or ship unanalysed on the
 * next pod restart.
 */

export interface ImageReference {
  /** Registry and path, no tag or digest: `ghcr.io/leanvibe/agent-hive`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>`. */
  readonly digest?: string;
}


const FIX = "pass the build's digest (repo@sha256:…, the guide's needs.build.outputs.digest) or a release tag such as 1.4.2";

/** Parses and checks one reference; throws one line naming the bad value and the fix. */
export function parseImageReference(text: string): ImageReference {
  const ref = text.trim();
  if (ref === "") throw new Error(`--image is empty: ${FIX}`);
  if (/\s/.test(ref)) throw new Error(`--image "${text}" contains whitespace: ${FIX}`);
  const at = ref.indexOf("@");
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const name = at >= 0 ? ref.slice(0, at) : ref;
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw new Error(`--image "${ref}": digest "${digest}" must be sha256: followed by 64 lowercase hex digits`);
  }
  // A ':' after the last '/' starts the tag; one before it is a registry port.
  const colon = name.lastIndexOf(":");
  const hasTag = colon > name.lastIndexOf("/");
  const repository = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  if (!REPOSITORY.test(repository)) {
    throw new Error(`--image "${ref}": repository "${repository}" is not a valid image repository (lowercase registry/path such as ghcr.io/leanvibe/agent-hive)`);
  }
  if (tag !== undefined && !TAG.test(tag)) {
    throw new Error(`--image "${ref}": tag "${tag}" is not a Docker tag (letters, digits, '_', '.', '-', at most 128)`);
  }
  if (tag !== undefined && digest === undefined && isFloatingTag(tag)) {
    throw new Error(`--image "${ref}": tag "${tag}" moves with every build, so it is not a release: ${FIX}`);
  }
  if (tag === undefined && digest === undefined) {
    throw new Error(`--image "${ref}" has no tag or digest, so it means whatever latest is at pull time: ${FIX}`);
  }
  return { repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** The reference as the Rollout's pod template carries it (the digest wins, as in infra/delivery/builders/image.ts). */
export function formatImageReference(ref: ImageReference): string {
  return ref.digest !== undefined ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag}`;
}
