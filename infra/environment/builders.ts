import type { ILimitRange } from "kubernetes-models/v1/LimitRange";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import { ACME_HTTP01_SOLVER } from "../catalogue/public-endpoint";
import { platformLabels } from "../catalogue/labels";
import { APP } from "../catalogue/names";
import type { EnvironmentSpec } from "./spec";

/** Labels every object of the environment carries. */
export function commonLabels(spec: Pick<EnvironmentSpec, "environment">): Record<string, string> {
  return platformLabels(spec.environment);
}

/**
 * The namespace, with Pod Security Admission `restricted` enforced (and warned
 * and audited, so a kubectl user sees why a pod is refused).
 */
export function buildNamespace(spec: EnvironmentSpec): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: spec.namespace,
      labels: {
        ...spec.labels,
        ...commonLabels(spec),
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
    },
  };
}

export function buildResourceQuota(spec: EnvironmentSpec): IResourceQuota {
  const q = spec.quota;
  const external: Record<string, string> = spec.network.allowExternalServices ? {} : { "services.loadbalancers": "0", "services.nodeports": "0" };
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "agent-hive-quota", namespace: spec.namespace, labels: commonLabels(spec) },
    spec: {
      hard: {
        "requests.cpu": q.requestsCpu,
        "requests.memory": q.requestsMemory,
        "limits.cpu": q.limitsCpu,
        "limits.memory": q.limitsMemory,
        pods: String(q.pods),
        services: String(q.services),
        persistentvolumeclaims: String(q.persistentVolumeClaims),
        ...external,
      },
    },
  };
}

/** Defaults for containers that declare no resources, so the quota never refuses them for that. */
export function buildLimitRange(spec: EnvironmentSpec): ILimitRange {
  const d = spec.containerDefaults;
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "agent-hive-limits", namespace: spec.namespace, labels: commonLabels(spec) },
    spec: {
      limits: [
        {
          type: "Container",
          defaultRequest: { cpu: d.request.cpu, memory: d.request.memory },
          default: { cpu: d.limit.cpu, memory: d.limit.memory },
          max: { cpu: d.max.cpu, memory: d.max.memory },
        },
      ],
    },
  };
}

const namespaceSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

function tcpPorts(ports: readonly number[]): INetworkPolicyPort[] {
  return [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ protocol: "TCP", port }));
}

/**
 * Default deny in both directions, then only what the platform needs: DNS,
 * traffic inside the namespace, the ingress controller and Prometheus to the
 * services' ports (and the controller to cert-manager's ACME solver), and (by config) HTTPS to the internet but not to private
 * ranges, so a compromised pod cannot reach the cluster's other workloads.
 */
export function buildNetworkPolicies(spec: EnvironmentSpec): INetworkPolicy[] {
  const meta = (name: string) => ({ name, namespace: spec.namespace, labels: commonLabels(spec) });
  const allPods = {};
  const policies: INetworkPolicy[] = [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("default-deny-all"),
      spec: { podSelector: allPods, policyTypes: ["Ingress", "Egress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("allow-dns-egress"),
      spec: {
        podSelector: allPods,
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: namespaceSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("allow-same-namespace"),
      spec: {
        podSelector: allPods,
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: allPods }] }],
        egress: [{ to: [{ podSelector: allPods }] }],
      },
    },
  ];
  const ports = tcpPorts(spec.servicePorts);
  if (ports.length > 0) {
    // The ingress controller: any pod of its namespace. Monitoring: only the
    // Prometheus pods the operator runs there, not Grafana or the Pushgateway.
    const ingress = spec.network.ingress;
    const from = [
      ...(ingress === undefined ? [] : [{ namespaceSelector: namespaceSelector(ingress.controllerNamespace) }]),
      { namespaceSelector: namespaceSelector(spec.network.monitoringNamespace), podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } },
    ];
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("allow-ingress-and-monitoring"),
      spec: { podSelector: { matchLabels: { app: APP } }, policyTypes: ["Ingress"], ingress: [{ from, ports }] },
    });
  }
  const ingress = spec.network.ingress;
  if (ingress?.acmeHttp01Solver) {
    // cert-manager starts its HTTP-01 solver pod in the Ingress's namespace; the
    // CA's request reaches it through the controller, which default-deny would drop.
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("allow-acme-http01-solver"),
      spec: {
        podSelector: { matchLabels: { ...ACME_HTTP01_SOLVER.podLabels } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: namespaceSelector(ingress.controllerNamespace) }], ports: [{ protocol: "TCP", port: ACME_HTTP01_SOLVER.port }] }],
      },
    });
  }
  if (spec.network.allowHttpsEgress) {
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("allow-https-egress"),
      spec: {
        podSelector: allPods,
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"] } }],
            ports: [{ protocol: "TCP", port: 443 }],
          },
        ],
      },
    });
  }
  return policies;
}
