import { describe, expect, it } from "vitest";
import { ROLLOUT_IMAGE_PATH, rolloutIgnoreChanges } from "../../../infra/delivery/builders/ownership";
import { buildRollout } from "../../../infra/delivery/builders/rollout";
import { productionSpec } from "../fixtures";

describe("image ownership", () => {
  it("leaves a pipeline-set image alone: pulumi up ignores the Rollout's container image", () => {
    expect(rolloutIgnoreChanges({ imageOwner: "pipeline" })).toEqual(["spec.template.spec.containers[0].image"]);
  });

  it("lets the stack own the image: nothing ignored", () => {
    expect(rolloutIgnoreChanges({ imageOwner: "stack" })).toEqual([]);
  });

  it("resolves, in the Rollout as Pulumi receives it, to the service container's image", () => {
    const rollout = buildRollout(productionSpec({ imageOwner: "pipeline" }));
    expect(valueAt(rollout, ROLLOUT_IMAGE_PATH)).toBe("ghcr.io/leanvibe/agent-hive:1.0.0");
    expect(rollout.spec.template?.spec?.containers.map((c) => c.name)).toEqual(["orchestrator"]);
  });
});

/** Follows a Pulumi property path of names and list indexes (`a.b[0].c`) through plain data. */
function valueAt(data: unknown, path: string): unknown {
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "");
  return keys.reduce<unknown>((at, key) => (at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined), data);
}
