import { describe, expect, it } from "vitest";
import { engineChanges, offlineChanges, parityProblems } from "../../../e2e/engine/preview-parity";
import type { StackDiff } from "../../../stacks/offline/diff";

const urn = (name: string) => `urn:pulumi:e2e::agent-hive-platform::kubernetes:core/v1:ConfigMap::${name}`;
const diff = (changes: [string, "create" | "update" | "replace" | "delete"][]): StackDiff[] => [
  { stack: "e2e", changes: changes.map(([name, kind]) => ({ kind, urn: urn(name), type: "kubernetes:core/v1:ConfigMap", name, properties: [] })), secretConfigChanges: [], warnings: [] },
];

describe("pulumi preview --json against npm run diff --format json (npm run e2e)", () => {
  it("reads a replacement's three steps as one replace, and leaves out steps that change nothing", () => {
    const engine = engineChanges({
      steps: [
        { op: "same", urn: urn("a") },
        { op: "update", urn: urn("b") },
        { op: "create-replacement", urn: urn("c") },
        { op: "replace", urn: urn("c") },
        { op: "delete-replaced", urn: urn("c") },
        { op: "read", urn: urn("d") },
      ],
    });
    expect([...engine]).toEqual([
      [urn("b"), "update"],
      [urn("c"), "replace"],
    ]);
  });

  it("agrees when both change the same resources the same way", () => {
    const engine = engineChanges({ steps: [{ op: "update", urn: urn("quota") }] });
    expect(parityProblems(engine, offlineChanges(diff([["quota", "update"]])))).toEqual([]);
  });

  it("names a resource only one of them changes, and one they change differently", () => {
    const engine = engineChanges({ steps: [{ op: "update", urn: urn("quota") }, { op: "update", urn: urn("ns") }] });
    expect(parityProblems(engine, offlineChanges(diff([["ns", "replace"], ["rollout", "update"]])))).toEqual([
      `${urn("ns")}: pulumi preview says update, npm run diff says replace`,
      `${urn("quota")}: pulumi preview says update, npm run diff says no change`,
      `${urn("rollout")}: pulumi preview says no change, npm run diff says update`,
    ]);
  });
});
