import { Namespace } from "kubernetes-models/v1/Namespace";
import { describe, expect, it } from "vitest";
import { ARGO_ROLLOUTS_RELEASE, argoRolloutsValues, buildArgoRolloutsNamespace } from "../../../infra/addons/argo-rollouts/builders";
import { CHARTS } from "../../../infra/catalogue/versions";

describe("Argo Rollouts add-on", () => {
  it("installs the CRDs, keeps them on uninstall, runs two controllers and no dashboard", () => {
    expect(argoRolloutsValues()).toEqual({
      installCRDs: true,
      keepCRDs: true,
      controller: { replicas: 2 },
      dashboard: { enabled: false },
    });
  });

  it("installs the chart pinned in the catalogue under a fixed release name", () => {
    expect(CHARTS.argoRollouts).toMatchObject({ chart: "argo-rollouts", repo: "https://argoproj.github.io/argo-helm" });
    expect(CHARTS.argoRollouts.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ARGO_ROLLOUTS_RELEASE).toBe("argo-rollouts");
  });

  it("gets its own namespace under Pod Security restricted, whose labels config cannot weaken", () => {
    const ns = buildArgoRolloutsNamespace({ namespace: "argo-rollouts", labels: { team: "platform", "pod-security.kubernetes.io/enforce": "privileged" } });
    expect(ns.metadata?.name).toBe("argo-rollouts");
    expect(ns.metadata?.labels).toMatchObject({ team: "platform", "pod-security.kubernetes.io/enforce": "restricted" });
  });

  it("gets a namespace that passes the Kubernetes schema", () => {
    expect(() => new Namespace(buildArgoRolloutsNamespace({ namespace: "argo-rollouts" })).validate()).not.toThrow();
  });
});

describe("controller metrics", () => {
  it("are scraped by the operator's ServiceMonitor only where the operator is there", () => {
    expect(argoRolloutsValues({ selectorLabels: { release: "kube-prometheus-stack" } }).controller).toEqual({
      replicas: 2,
      metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { release: "kube-prometheus-stack" } } },
    });
    expect(argoRolloutsValues().controller).toEqual({ replicas: 2 });
  });
});
