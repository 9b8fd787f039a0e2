import { describe, expect, it } from "vitest";
import { comparable, quantityValue, specDrift } from "../../../e2e/engine/spec-drift";

describe("a live object against its planned spec (npm run e2e)", () => {
  const planned = {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "agent-hive-quota", namespace: "ns", labels: { app: "agent-hive" } },
    spec: { hard: { "requests.cpu": "0.5", "limits.memory": "1024Mi", pods: "40" } },
  };

  it("accepts what the server added and quantities it rewrote to canonical form", () => {
    const live = {
      ...planned,
      metadata: { ...planned.metadata, uid: "u", labels: { app: "agent-hive", "app.kubernetes.io/managed-by": "pulumi" } },
      spec: { hard: { "requests.cpu": "500m", "limits.memory": "1Gi", pods: "40" } },
      status: { used: {} },
    };
    expect(specDrift(planned, live)).toEqual([]);
  });

  it("names each field the server holds differently, and each it lacks", () => {
    const live = { ...planned, metadata: { name: "agent-hive-quota", namespace: "ns", labels: {} }, spec: { hard: { "requests.cpu": "600m", "limits.memory": "1Gi", pods: "41" } } };
    expect(specDrift(planned, live)).toEqual([
      'metadata.labels.app: planned "agent-hive", live has nothing',
      'spec.hard.requests.cpu: planned "0.5", live has "600m"',
      'spec.hard.pods: planned "40", live has "41"',
    ]);
  });

  it("compares lists element by element and refuses a different length", () => {
    const p = { spec: { ports: [{ port: 80 }, { port: 81 }] } };
    expect(specDrift(p, { spec: { ports: [{ port: 80, protocol: "TCP" }, { port: 81, protocol: "TCP" }] } })).toEqual([]);
    expect(specDrift(p, { spec: { ports: [{ port: 80 }] } })).toEqual(["spec.ports: planned 2 elements, live has 1"]);
    expect(specDrift(p, { spec: { ports: [{ port: 80 }, { port: 82 }] } })).toEqual(["spec.ports[1].port: planned 81, live has 82"]);
  });

  it("skips what the plan cannot know: redacted secrets and values computed at create", () => {
    expect(specDrift({ a: "[secret]", b: "[computed]" }, { a: "x", b: "y" })).toEqual([]);
  });

  it("compares a Secret's write-only stringData by its keys in data", () => {
    const secret = { kind: "Secret", metadata: { name: "s" }, stringData: { key: "[secret]" } };
    expect(specDrift(...comparable(secret, { kind: "Secret", metadata: { name: "s" }, data: { key: "c2VjcmV0" } }))).toEqual([]);
    expect(specDrift(...comparable(secret, { kind: "Secret", metadata: { name: "s" }, data: { other: "eA==" } }))).toEqual([
      'data.key: planned "(present)", live has nothing',
    ]);
  });

  it("reads Kubernetes quantities, and nothing else as one", () => {
    expect(quantityValue("500m")).toBe(0.5);
    expect(quantityValue("1Gi")).toBe(2 ** 30);
    expect(quantityValue("1e3")).toBe(1000);
    expect(quantityValue("16")).toBe(16);
    expect(quantityValue("1.0.0")).toBeUndefined();
    expect(quantityValue("ghcr.io/x:1")).toBeUndefined();
    expect(specDrift({ tag: "1.0" }, { tag: "1" })).toEqual([]);
    expect(specDrift({ image: "a:1.0" }, { image: "a:1" })).toEqual(['image: planned "a:1.0", live has "a:1"']);
  });
});
