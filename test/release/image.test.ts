import { describe, expect, it } from "vitest";
import { FLOATING_TAGS, formatImageReference, parseImageReference } from "../../stacks/release/image";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("image references", () => {
  it("reads repo:tag, repo@digest and repo:tag@digest, a registry port not taken for a tag", () => {
    expect(parseImageReference("ghcr.io/leanvibe/agent-hive:1.4.2")).toEqual({ repository: "ghcr.io/leanvibe/agent-hive", tag: "1.4.2" });
    expect(parseImageReference(`ghcr.io/leanvibe/agent-hive@${DIGEST}`)).toEqual({ repository: "ghcr.io/leanvibe/agent-hive", digest: DIGEST });
    expect(parseImageReference(`ghcr.io/leanvibe/agent-hive:1.4.2@${DIGEST}`)).toEqual({ repository: "ghcr.io/leanvibe/agent-hive", tag: "1.4.2", digest: DIGEST });
    expect(parseImageReference("registry.local:5000/agent-hive:sha-3f2a1b0")).toEqual({ repository: "registry.local:5000/agent-hive", tag: "sha-3f2a1b0" });
  });

  it("formats the reference the pod template carries: the digest wins", () => {
    expect(formatImageReference(parseImageReference(`ghcr.io/x/y:1.4.2@${DIGEST}`))).toBe(`ghcr.io/x/y@${DIGEST}`);
    expect(formatImageReference(parseImageReference("ghcr.io/x/y:1.4.2"))).toBe("ghcr.io/x/y:1.4.2");
  });

  it.each([
    ["", /--image is empty/],
    ["ghcr.io/leanvibe/agent-hive", /has no tag or digest, so it means whatever latest is/],
    ["registry.local:5000/agent-hive", /has no tag or digest/],
    ["ghcr.io/leanvibe/agent-hive:latest", /tag "latest" moves with every build/],
    ["ghcr.io/leanvibe/agent-hive:LATEST", /tag "LATEST" moves with every build/],
    ["ghcr.io/leanvibe/agent-hive:develop", /tag "develop" moves with every build/],
    ["ghcr.io/leanvibe/agent-hive:main", /tag "main" moves/],
    ["ghcr.io/leanvibe/agent-hive@sha256:abc", /digest "sha256:abc" must be sha256: followed by 64 lowercase hex/],
    [`ghcr.io/leanvibe/agent-hive@${DIGEST.toUpperCase()}`, /must be sha256: followed by 64 lowercase hex/],
    ["ghcr.io/LeanVibe/agent-hive:1.4.2", /repository "ghcr.io\/LeanVibe\/agent-hive" is not a valid image repository/],
    ["ghcr.io/leanvibe/agent-hive:-bad", /tag "-bad" is not a Docker tag/],
    ["ghcr.io/leanvibe/agent-hive:1.4.2 extra", /contains whitespace/],
  ])("refuses %j with the bad value and the fix", (ref, message) => {
    expect(() => parseImageReference(ref)).toThrow(message);
  });

  it("every refusal of an unpinned image says how to pin it", () => {
    for (const ref of ["ghcr.io/x/y", "ghcr.io/x/y:latest"]) expect(() => parseImageReference(ref)).toThrow(/pass the build's digest \(repo@sha256:…/);
  });

  it("a floating tag beside a digest is only a label, so it passes", () => {
    expect(FLOATING_TAGS).toContain("develop");
    expect(parseImageReference(`ghcr.io/x/y:develop@${DIGEST}`).digest).toBe(DIGEST);
  });
});
