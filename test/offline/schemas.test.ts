import { describe, expect, it } from "vitest";
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Service } from "kubernetes-models/v1/Service";
import { Secret } from "kubernetes-models/v1/Secret";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { AnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import { Rollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { planManifests } from "../../stacks/offline/manifests";
import { DEFAULT_STACKS, planCommitted } from "../support/stacks";

// The real Kubernetes OpenAPI schema of every kind the platform creates. A kind
// missing here fails the test, so a new kind cannot ship unvalidated.
type Model = new (data: object) => { validate(): void };
const MODELS: Record<string, Model> = {
  "v1/Namespace": Namespace,
  "v1/ResourceQuota": ResourceQuota,
  "v1/LimitRange": LimitRange,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "v1/Service": Service,
  "v1/Secret": Secret,
  "v1/ConfigMap": ConfigMap,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule as unknown as Model,
  "monitoring.coreos.com/v1/PodMonitor": PodMonitor as unknown as Model,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor as unknown as Model,
  "monitoring.coreos.com/v1alpha1/AlertmanagerConfig": AlertmanagerConfig as unknown as Model,
  "v1/ServiceAccount": ServiceAccount,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding as unknown as Model,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "argoproj.io/v1alpha1/Rollout": Rollout as unknown as Model,
  "argoproj.io/v1alpha1/AnalysisTemplate": AnalysisTemplate as unknown as Model,
  "networking.k8s.io/v1/Ingress": Ingress,
  "cert-manager.io/v1/ClusterIssuer": class {
    constructor(private readonly data: object) {}
    validate(): void {
      // No kubernetes-models package for cert-manager is a dependency here: the
      // fields its CRD's OpenAPI schema requires of an ACME ClusterIssuer
      // (spec.acme: server and privateKeySecretRef.name; each solver an http01 or dns01).
      const acme = (this.data as { spec?: { acme?: { server?: unknown; privateKeySecretRef?: { name?: unknown }; solvers?: unknown } } }).spec?.acme;
      if (typeof acme?.server !== "string" || typeof acme.privateKeySecretRef?.name !== "string") throw new Error("spec.acme needs server and privateKeySecretRef.name");
      const solvers = Array.isArray(acme.solvers) ? (acme.solvers as Record<string, unknown>[]) : [];
      if (solvers.length === 0 || solvers.some((s) => s.http01 === undefined && s.dns01 === undefined)) throw new Error("spec.acme.solvers: each needs http01 or dns01");
    }
  },
};

/**
 * Values the plan cannot show (secrets) or does not know yet (computed) have
 * nothing to validate: drop them, and validate everything else.
 */
function withoutMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMarkers);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== "[secret]" && v !== "[computed]")
      .map(([k, v]) => [k, withoutMarkers(v)]),
  );
}

describe.each(DEFAULT_STACKS)("every Kubernetes object of %s", (stack) => {
  it("passes its Kubernetes schema", async () => {
    const manifests = planManifests((await planCommitted(stack)).resources);
    expect(manifests.length).toBeGreaterThan(0);
    expect(manifests.filter(({ object }) => !MODELS[`${object.apiVersion}/${object.kind}`]).map(({ object }) => `${object.apiVersion} ${object.kind}`), "no schema registered").toEqual([]);
    for (const { object } of manifests) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(() => new Model(withoutMarkers(object) as object).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
    }
  });
});

describe("the schema check itself", () => {
  it("rejects an object that breaks the schema", () => {
    const bad = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "x" }, spec: { podSelector: {}, policyTypes: "Ingress" } };
    expect(() => new NetworkPolicy(bad as object).validate()).toThrow(/policyTypes/);
  });
});
