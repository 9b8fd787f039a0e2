import { describe, expect, it } from "vitest";
import { planManifests } from "../../stacks/offline/manifests";
import { PlanResource } from "../../stacks/offline/recorder";

const resource = (apiVersion: string, kind: string, name: string, namespace?: string): PlanResource => ({
  urn: `urn:pulumi:s::p::kubernetes:${apiVersion}:${kind}::${name}`,
  type: `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`,
  name,
  parent: null,
  custom: true,
  inputs: { apiVersion, kind, metadata: namespace ? { name, namespace } : { name } },
  options: { protect: false, retainOnDelete: false, dependsOn: [], deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], aliases: [], provider: null, additionalSecretOutputs: [], },
});

describe("manifest order", () => {
  it("puts CRDs and namespaces before what needs them and custom resources last", () => {
    const files = planManifests([
      resource("argoproj.io/v1alpha1", "Rollout", "orchestrator", "ns"),
      resource("v1", "Service", "svc", "ns"),
      resource("networking.k8s.io/v1", "NetworkPolicy", "deny", "ns"),
      resource("v1", "Namespace", "ns"),
      resource("apiextensions.k8s.io/v1", "CustomResourceDefinition", "rollouts.argoproj.io"),
      resource("apps/v1", "Deployment", "web", "ns"),
    ]).map((m) => m.file);
    expect(files).toEqual([
      "001-customresourcedefinition-rollouts.argoproj.io.yaml",
      "002-namespace-ns.yaml",
      "003-networkpolicy-deny.yaml",
      "004-service-svc.yaml",
      "005-deployment-web.yaml",
      "006-rollout-orchestrator.yaml",
    ]);
    expect([...files].sort()).toEqual(files);
  });

  it("leaves out providers, components and objects that are not Kubernetes objects", () => {
    const provider = { ...resource("v1", "Namespace", "x"), type: "pulumi:providers:kubernetes" };
    const component = { ...resource("v1", "Namespace", "y"), custom: false };
    const release = { ...resource("v1", "Namespace", "z"), type: "kubernetes:helm.sh/v3:Release", inputs: { chart: "argo-rollouts" } };
    expect(planManifests([provider, component, release])).toEqual([]);
  });
});
