import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { buildPodTemplate } from "../../../infra/delivery/builders/pod-template";
import { buildServiceAccount } from "../../../infra/delivery/builders/service-account";
import { productionSpec } from "../fixtures";

describe("the service's ServiceAccount", () => {
  it("lists the private registry's pull secret and mounts no token", () => {
    const sa = buildServiceAccount(productionSpec());
    expect(sa.metadata).toMatchObject({ name: "agent-hive-orchestrator", namespace: "agent-hive-production" });
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.imagePullSecrets).toEqual([{ name: "agent-hive-registry" }]);
  });

  it("still exists without a registry, with no pull secrets", () => {
    const sa = buildServiceAccount(productionSpec({ imagePullSecrets: [] }));
    expect(sa.metadata?.name).toBe("agent-hive-orchestrator");
    expect(sa).not.toHaveProperty("imagePullSecrets");
  });

  it("is the one the pods run as, whatever the registry", () => {
    for (const spec of [productionSpec(), productionSpec({ imagePullSecrets: [] })]) {
      expect(buildPodTemplate(spec).spec?.serviceAccountName).toBe(buildServiceAccount(spec).metadata?.name);
    }
  });

  it("passes the Kubernetes schema", () => {
    expect(() => new ServiceAccount(buildServiceAccount(productionSpec())).validate()).not.toThrow();
  });
});
