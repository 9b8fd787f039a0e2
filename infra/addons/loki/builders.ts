import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { HelmValues, addonNamespace } from "../../catalogue/addons";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import { GRAFANA_POD_LABELS } from "../../catalogue/grafana";
import { MANAGED_BY_LABELS } from "../../catalogue/labels";
import { LOG_SHIPPER_POD_LABELS, LOKI_DATASOURCE, LOKI_POD_LABELS, LOKI_SERVICE, lokiAddress } from "../../catalogue/logs";
import type { LokiArgs } from "./spec";

/** Loki's gRPC port (`loki.server.grpc_listen_port`) and memberlist's (the chart's ring). */
const LOKI_GRPC_PORT = 9095;
const MEMBERLIST_PORT = 7946;

/** When the schema's first period starts; fixed, since changing it would orphan the index written under it. */
export const LOKI_SCHEMA_FROM = "2024-04-01";

/**
 * Loki's namespace. The chart's pods run non-root with a read-only root
 * filesystem and no capabilities but set no seccomp profile, so `restricted`
 * is warned and audited and `baseline` enforced.
 */
export function buildLokiNamespace(name: string): INamespace {
  return addonNamespace(name, { enforce: "baseline", warn: "restricted", audit: "restricted" });
}

/**
 * The loki chart in single-binary mode (one pod runs every target) on
 * filesystem storage: the other modes' targets at 0 replicas, and the
 * memcached caches, gateway, MinIO, canary and Helm test off, as the chart's
 * single-binary guide requires. No multi-tenancy (`auth_enabled: false`): one
 * platform writes and reads. Retention is the compactor's, which also serves
 * delete requests from the filesystem.
 */
export function lokiValues(o: Pick<LokiArgs, "retention" | "storageSize">): HelmValues {
  const zero = { replicas: 0 };
  return {
    deploymentMode: "SingleBinary",
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: "filesystem" },
      server: { http_listen_port: LOKI_SERVICE.port.number, grpc_listen_port: LOKI_GRPC_PORT },
      schemaConfig: {
        configs: [{ from: LOKI_SCHEMA_FROM, store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
      },
      limits_config: { retention_period: o.retention },
      compactor: { retention_enabled: true, delete_request_store: "filesystem" },
    },
    // The chart's default deletes the volume with the StatefulSet: an uninstall or a replaced
    // release would take the stored logs with it. The claim outlives the release instead.
    singleBinary: { replicas: 1, persistence: { enabled: true, size: o.storageSize, enableStatefulSetAutoDeletePVC: false } },
    backend: zero,
    read: zero,
    write: zero,
    ingester: zero,
    querier: zero,
    queryFrontend: zero,
    queryScheduler: zero,
    distributor: zero,
    compactor: zero,
    indexGateway: zero,
    bloomPlanner: zero,
    bloomBuilder: zero,
    bloomGateway: zero,
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    minio: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    // The rules sidecar watches ConfigMaps cluster-wide for Loki alert rules; the platform defines none.
    sidecar: { rules: { enabled: false } },
  };
}

const namespaceSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });
const tcp = (...ports: number[]): INetworkPolicyPort[] => ports.map((port) => ({ protocol: "TCP", port }));

/**
 * Loki's namespace admits the shipper (push) and Grafana (query) on Loki's
 * HTTP port, and Loki's own pods to each other (its ring and gRPC between
 * its modules, which in one pod still go through the Service); nothing else.
 */
export function buildLokiNetworkPolicies(o: Pick<LokiArgs, "namespace" | "shipperNamespace" | "grafanaNamespace">): INetworkPolicy[] {
  const meta = (name: string) => ({ name, namespace: o.namespace, labels: { ...MANAGED_BY_LABELS } });
  const loki = { matchLabels: { ...LOKI_POD_LABELS } };
  const http = tcp(LOKI_SERVICE.port.number);
  return [
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta("default-deny-ingress"), spec: { podSelector: {}, policyTypes: ["Ingress"] } },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("allow-log-shipper"),
      spec: {
        podSelector: loki,
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: namespaceSelector(o.shipperNamespace), podSelector: { matchLabels: { ...LOG_SHIPPER_POD_LABELS } } }], ports: http }],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("allow-grafana"),
      spec: {
        podSelector: loki,
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: namespaceSelector(o.grafanaNamespace), podSelector: { matchLabels: { ...GRAFANA_POD_LABELS } } }], ports: http }],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("allow-loki-ring"),
      spec: { podSelector: loki, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: loki }], ports: tcp(LOKI_SERVICE.port.number, LOKI_GRPC_PORT, MEMBERLIST_PORT) }] },
    },
  ];
}

/**
 * Grafana's Loki datasource, as the datasource sidecar provisions it: a
 * ConfigMap in Grafana's namespace with the sidecar's label, a fixed uid the
 * dashboards name, and no edits from the UI (the next deploy would undo them).
 */
export function buildLokiDatasource(o: Pick<LokiArgs, "namespace" | "grafanaNamespace" | "datasourceLabel">): IConfigMap {
  const datasources = {
    apiVersion: 1,
    datasources: [
      { name: LOKI_DATASOURCE.name, uid: LOKI_DATASOURCE.uid, type: LOKI_DATASOURCE.type, access: "proxy", url: lokiAddress(o.namespace), isDefault: false, editable: false },
    ],
  };
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "loki-datasource",
      namespace: o.grafanaNamespace,
      labels: { ...MANAGED_BY_LABELS, [o.datasourceLabel.name]: o.datasourceLabel.value },
    },
    data: { "loki-datasource.yaml": JSON.stringify(datasources, null, 2) },
  };
}
