import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { EngineJson, driftMarker, driftOf, issueBody, typeAndName } from "../../stacks/drift/report";

// Recorded from the real CLI (pulumi 3.248.0) by npm run e2e's stack: see fixtures/README.md.
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", `${name}.json`), "utf8")) as EngineJson;
const QUOTA = "urn:pulumi:e2e::agent-hive-platform::agent-hive:environment:Environment$kubernetes:core/v1:ResourceQuota::agent-hive-quota";

describe("drift from the engine's JSON", () => {
  it("finds nothing in a clean refresh and a preview with no changes", () => {
    expect(driftOf(fixture("refresh-clean"), fixture("preview-clean"))).toEqual([]);
  });

  it("reads a refresh's update as changed outside Pulumi, with the property, and its delete as deleted outside", () => {
    expect(driftOf(fixture("refresh-drift"), fixture("preview-clean"))).toEqual([
      { urn: QUOTA, type: "kubernetes:core/v1:ResourceQuota", name: "agent-hive-quota", source: "outside", change: "changed outside Pulumi", paths: ["spec.hard.pods"] },
      {
        urn: "urn:pulumi:e2e::agent-hive-platform::agent-hive:environment:Environment$kubernetes:networking.k8s.io/v1:NetworkPolicy::agent-hive-allow-same-namespace",
        type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        name: "agent-hive-allow-same-namespace",
        source: "outside",
        change: "deleted outside Pulumi",
        paths: [],
      },
    ]);
  });

  it("reads a preview's updates as program drift: config changed but not applied", () => {
    const d = driftOf(fixture("refresh-clean"), fixture("preview-change"));
    expect(d.map((x) => [x.source, x.change, x.name, x.paths])).toEqual([
      ["program", "to update", "agent-hive-quota", ["spec.hard.pods"]],
      ["program", "to update", "orchestrator-rollout", ["spec.strategy.canary.steps[1].pause.duration"]],
    ]);
  });

  it("counts a replacement's three steps once", () => {
    const urn = "urn:pulumi:s::p::kubernetes:core/v1:Namespace::ns";
    const d = driftOf({}, { steps: [{ op: "create-replacement", urn }, { op: "replace", urn }, { op: "delete-replaced", urn }] });
    expect(d.map((x) => x.change)).toEqual(["to replace"]);
  });

  it("takes a URN's own type, not its parents', and a name with :: in it whole", () => {
    expect(typeAndName("urn:pulumi:s::p::a:b:C$kubernetes:core/v1:Secret::x::y")).toEqual(["kubernetes:core/v1:Secret", "x::y"]);
  });
});

describe("the drift issue body", () => {
  const drifted = driftOf(fixture("refresh-drift"), fixture("preview-change"));

  it("carries the stack's marker, every resource with what happened, and the run's link", () => {
    const body = issueBody("staging", drifted, "https://github.com/o/r/actions/runs/1");
    expect(body.startsWith(driftMarker("staging"))).toBe(true);
    expect(body).toContain("**4 resources** of stack <code>staging</code> drifted ([the run](https://github.com/o/r/actions/runs/1))");
    expect(body).toContain("| agent-hive-quota | <code>kubernetes:core/v1:ResourceQuota</code> | changed outside Pulumi | <code>spec.hard.pods</code> |");
    expect(body).toContain("| agent-hive-allow-same-namespace | <code>kubernetes:networking.k8s.io/v1:NetworkPolicy</code> | deleted outside Pulumi | — |");
    expect(body).toContain("| orchestrator-rollout | <code>kubernetes:argoproj.io/v1alpha1:Rollout</code> | to update | <code>spec.strategy.canary.steps&#91;1&#93;.pause.duration</code> |");
  });

  it("never shows a value: the recorded drift of pods 40 -> 99 names only the path", () => {
    const body = issueBody("staging", drifted, "u");
    expect(body).not.toMatch(/\b99\b/);
    expect(body).not.toMatch(/\b40\b/);
  });

  it("escapes names so a resource cannot break the table or mention people", () => {
    const body = issueBody("staging", [{ urn: "u", type: "t", name: "a|b @team", source: "outside", change: "changed outside Pulumi", paths: [] }], "u");
    const row = body.split("\n").find((l) => l.startsWith("| a"));
    expect(row?.split(/(?<!\\)\|/).length).toBe(6);
    expect(row).not.toContain("@team");
  });

  it("stays within GitHub's limit, saying how many rows it left out", () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ ...drifted[0], name: `quota-${i}` }));
    const body = issueBody("staging", many, "u", 10_000);
    expect(body.length).toBeLessThanOrEqual(10_000);
    const shown = body.split("\n").filter((l) => l.startsWith("| quota-")).length;
    expect(body.trimEnd().endsWith(`…and ${2000 - shown} more: see the run.`)).toBe(true);
  });
});
