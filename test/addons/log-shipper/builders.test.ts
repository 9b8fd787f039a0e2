import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { describe, expect, it } from "vitest";
import { alloyConfig, buildLogShipperNamespace, buildLogShipperNetworkPolicies, logShipperValues } from "../../../infra/addons/log-shipper/builders";
import { CHARTS } from "../../../infra/catalogue/versions";

const args = { sourceNamespaces: ["agent-hive-production"] as [string, ...string[]], lokiNamespace: "loki" };

describe("the log shipper's chart values", () => {
  it("install the pinned alloy chart as a DaemonSet without host mounts, CRDs or usage reporting", () => {
    expect(CHARTS.alloy).toEqual({ chart: "alloy", repo: "https://grafana.github.io/helm-charts", version: "1.2.1" });
    const values = logShipperValues(args);
    expect(values).toMatchObject({
      crds: { create: false },
      controller: { type: "daemonset" },
      alloy: { configMap: { create: true }, mounts: { varlog: false, dockercontainers: false }, enableReporting: false },
    });
    expect(values).not.toHaveProperty("controller.hostNetwork");
  });
});

describe("the Alloy pipeline", () => {
  const config = alloyConfig(args);

  it("discovers only the environment's pods, on the shipper pod's own node", () => {
    expect(config).toContain('names = ["agent-hive-production"]');
    expect(config).toContain('field = "spec.nodeName=" + sys.env("HOSTNAME")');
    expect(alloyConfig({ ...args, sourceNamespaces: ["agent-hive-production", "agent-hive-qa"] })).toContain('names = ["agent-hive-production", "agent-hive-qa"]');
  });

  it("labels each stream with namespace, pod, container, app and the Rollout's revision", () => {
    const rules = [...config.matchAll(/source_labels = \["([^"]+)"\]\n\s+target_label {2}= "([^"]+)"/g)].map(([, from, to]) => [from, to]);
    expect(rules).toEqual([
      ["__meta_kubernetes_namespace", "namespace"],
      ["__meta_kubernetes_pod_name", "pod"],
      ["__meta_kubernetes_pod_container_name", "container"],
      ["__meta_kubernetes_pod_label_app", "app"],
      ["__meta_kubernetes_pod_label_rollouts_pod_template_hash", "revision"],
    ]);
  });

  it("tails through the Kubernetes API and pushes to Loki's Service in its namespace", () => {
    expect(config).toContain('loki.source.kubernetes "pods"');
    expect(config).toContain('url = "http://loki.loki.svc:3100/loki/api/v1/push"');
    expect(alloyConfig({ ...args, lokiNamespace: "logging" })).toContain('url = "http://loki.logging.svc:3100/loki/api/v1/push"');
  });

  it("is the config the chart's ConfigMap carries", () => {
    expect((logShipperValues(args).alloy as { configMap: { content: string } }).configMap.content).toBe(config);
  });
});

describe("the shipper's namespace", () => {
  it("enforces Pod Security baseline, denies all ingress, and passes the schema", () => {
    const ns = buildLogShipperNamespace("alloy");
    expect(ns.metadata?.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted" });
    expect(() => new Namespace(ns).validate()).not.toThrow();
    const [deny] = buildLogShipperNetworkPolicies("alloy");
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
    expect(() => new NetworkPolicy(deny).validate()).not.toThrow();
  });
});
