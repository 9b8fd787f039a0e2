import { describe, expect, it } from "vitest";
import { imageReference } from "../../../infra/delivery/builders/image";
import { RUN_AS_USER, buildPodTemplate } from "../../../infra/delivery/builders/pod-template";
import { DIGEST, productionSpec } from "../fixtures";

const containerOf = (spec = productionSpec()) => {
  const container = buildPodTemplate(spec).spec?.containers[0];
  if (!container) throw new Error("no container");
  return container;
};

describe("hardened pod template", () => {
  it("runs as a numeric non-root user with the RuntimeDefault seccomp profile and no service account token", () => {
    const pod = buildPodTemplate(productionSpec()).spec;
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: RUN_AS_USER, seccompProfile: { type: "RuntimeDefault" } });
    expect(RUN_AS_USER).toBeGreaterThan(0);
  });

  it("locks the container down: no privilege escalation, read-only root, all capabilities dropped", () => {
    expect(containerOf().securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("gives the read-only container a writable /tmp from an emptyDir", () => {
    const pod = buildPodTemplate(productionSpec()).spec;
    expect(containerOf().volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(pod?.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }]);
  });

  it("probes readiness and liveness over HTTP on the health path and the service port", () => {
    const c = containerOf();
    expect(c.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(c.readinessProbe?.httpGet).toEqual({ path: "/health", port: "http" });
    expect(c.livenessProbe?.httpGet).toEqual({ path: "/health", port: "http" });
  });

  it("declares requests and limits: the service's own, else the namespace defaults", () => {
    expect(containerOf().resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    const own = { request: { cpu: "500m", memory: "1Gi" }, limit: { cpu: "2", memory: "2Gi" } };
    const spec = productionSpec();
    expect(containerOf(productionSpec({ service: { ...spec.service, resources: own } })).resources).toEqual({
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "2", memory: "2Gi" },
    });
  });

  it("spreads pods over nodes without ever blocking scheduling", () => {
    expect(buildPodTemplate(productionSpec()).spec?.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { app: "agent-hive", "app.kubernetes.io/name": "agent-hive-orchestrator" } },
      },
    ]);
  });
});

describe("image", () => {
  const service = productionSpec().service;

  it("is pinned by tag, never latest", () => {
    const image = containerOf().image ?? "";
    expect(image).toBe("ghcr.io/leanvibe/agent-hive:1.0.0");
    expect(image).not.toMatch(/latest/);
  });

  it("is pinned by digest when the service is", () => {
    expect(imageReference({ ...service, pin: { digest: DIGEST } })).toBe(`ghcr.io/leanvibe/agent-hive@${DIGEST}`);
    expect(containerOf(productionSpec({ service: { ...service, pin: { digest: DIGEST } } })).image).toBe(`ghcr.io/leanvibe/agent-hive@${DIGEST}`);
  });

  // `latest` and a service without tag or digest are refused at the config edge (test/config/bad-configs.test.ts):
  // the spec's ImagePin has no way to say either.
});
