import type { INamespace } from "kubernetes-models/v1/Namespace";
import { HelmValues, addonNamespace } from "../../catalogue/addons";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { MANAGED_BY_LABELS } from "../../catalogue/labels";
import { LOG_STREAM_LABELS, lokiPushUrl } from "../../catalogue/logs";
import { POD_HASH_POD_LABEL } from "../../catalogue/metrics";
import type { LogShipperArgs } from "./spec";

/**
 * The shipper's namespace. Alloy reads logs through the Kubernetes API, so
 * it needs no host path, host network or privilege: `baseline` is enforced
 * (its image runs as root, which `restricted` refuses) and `restricted` warned.
 */
export function buildLogShipperNamespace(name: string): INamespace {
  return addonNamespace(name, { enforce: "baseline", warn: "restricted", audit: "restricted" });
}

/** Nothing needs to reach the shipper (it only pushes): its namespace denies all ingress. */
export function buildLogShipperNetworkPolicies(namespace: string): INetworkPolicy[] {
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny-ingress", namespace, labels: { ...MANAGED_BY_LABELS } },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    },
  ];
}

/** A Kubernetes pod label as Prometheus-style discovery spells it: `__meta_kubernetes_pod_label_<name with _>`. */
const podLabelMeta = (label: string) => `__meta_kubernetes_pod_label_${label.replace(/[^A-Za-z0-9_]/g, "_")}`;

const alloyString = (s: string) => JSON.stringify(s);

/**
 * The Alloy pipeline: discover the pods of `sourceNamespaces` on this node
 * (each DaemonSet pod tails only its own node's pods, so no line is shipped
 * twice), label each stream with the catalogue's stream labels, tail through
 * the Kubernetes API (no host paths) and push to Loki.
 */
export function alloyConfig(o: Pick<LogShipperArgs, "sourceNamespaces" | "lokiNamespace">): string {
  const L = LOG_STREAM_LABELS;
  const relabel: readonly (readonly [string, string])[] = [
    ["__meta_kubernetes_namespace", L.namespace],
    ["__meta_kubernetes_pod_name", L.pod],
    ["__meta_kubernetes_pod_container_name", L.container],
    [podLabelMeta("app"), L.app],
    [podLabelMeta(POD_HASH_POD_LABEL), L.revision],
  ];
  return [
    `discovery.kubernetes "pods" {`,
    `  role = "pod"`,
    `  namespaces {`,
    `    names = [${o.sourceNamespaces.map(alloyString).join(", ")}]`,
    `  }`,
    `  selectors {`,
    `    role  = "pod"`,
    // The chart sets HOSTNAME to the node's name (spec.nodeName).
    `    field = "spec.nodeName=" + sys.env("HOSTNAME")`,
    `  }`,
    `}`,
    ``,
    `discovery.relabel "pods" {`,
    `  targets = discovery.kubernetes.pods.targets`,
    ...relabel.flatMap(([source, target]) => [`  rule {`, `    source_labels = [${alloyString(source)}]`, `    target_label  = ${alloyString(target)}`, `  }`]),
    `}`,
    ``,
    `loki.source.kubernetes "pods" {`,
    `  targets    = discovery.relabel.pods.output`,
    `  forward_to = [loki.write.loki.receiver]`,
    `}`,
    ``,
    `loki.write "loki" {`,
    `  endpoint {`,
    `    url = ${alloyString(lokiPushUrl(o.lokiNamespace))}`,
    `  }`,
    `}`,
    ``,
  ].join("\n");
}

/**
 * The alloy chart as a DaemonSet running `alloyConfig`: no host mounts (logs
 * come through the API), no CRDs (the PodLogs CRD is unused), no usage
 * reporting to Grafana Labs.
 */
export function logShipperValues(o: Pick<LogShipperArgs, "sourceNamespaces" | "lokiNamespace">): HelmValues {
  return {
    crds: { create: false },
    controller: { type: "daemonset" },
    alloy: {
      configMap: { create: true, content: alloyConfig(o) },
      mounts: { varlog: false, dockercontainers: false },
      enableReporting: false,
      clustering: { enabled: false },
    },
  };
}
