import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { describe, expect, it } from "vitest";
import { buildLokiDatasource, buildLokiNamespace, buildLokiNetworkPolicies, lokiValues } from "../../../infra/addons/loki/builders";
import { DEFAULT_DATASOURCE_LABEL } from "../../../infra/catalogue/grafana";
import { LOG_SHIPPER_POD_LABELS, LOKI_DATASOURCE, LOKI_POD_LABELS, LOKI_SERVICE } from "../../../infra/catalogue/logs";
import { CHARTS } from "../../../infra/catalogue/versions";

const args = { namespace: "loki", shipperNamespace: "alloy", grafanaNamespace: "monitoring", datasourceLabel: DEFAULT_DATASOURCE_LABEL, retention: "744h", storageSize: "50Gi" };
type Values = Record<string, Record<string, unknown>>;

describe("the Loki add-on's chart values", () => {
  const values = lokiValues(args) as Values;

  it("install the pinned loki chart", () => {
    expect(CHARTS.loki).toEqual({ chart: "loki", repo: "https://grafana.github.io/helm-charts", version: "6.29.0" });
  });

  it("run one single binary on a filesystem volume of the configured size", () => {
    expect(values.deploymentMode).toBe("SingleBinary");
    expect(values.singleBinary).toEqual({ replicas: 1, persistence: { enabled: true, size: "50Gi", enableStatefulSetAutoDeletePVC: false } });
    expect(values.loki).toMatchObject({ auth_enabled: false, commonConfig: { replication_factor: 1 }, storage: { type: "filesystem" } });
    expect(lokiValues({ ...args, storageSize: "10Gi" }).singleBinary).toEqual({ replicas: 1, persistence: { enabled: true, size: "10Gi", enableStatefulSetAutoDeletePVC: false } });
  });

  it("scale every other deployment mode's targets to 0 and leave out caches, gateway, MinIO, canary and test", () => {
    for (const target of ["backend", "read", "write", "ingester", "querier", "queryFrontend", "queryScheduler", "distributor", "compactor", "indexGateway"]) {
      expect(values[target], target).toEqual({ replicas: 0 });
    }
    for (const off of ["gateway", "chunksCache", "resultsCache", "minio", "lokiCanary", "test"]) expect(values[off], off).toEqual({ enabled: false });
  });

  it("keep logs for the configured retention: the compactor deletes, with a filesystem delete-request store", () => {
    expect(values.loki.limits_config).toEqual({ retention_period: "744h" });
    expect(values.loki.compactor).toEqual({ retention_enabled: true, delete_request_store: "filesystem" });
    expect((lokiValues({ ...args, retention: "168h" }) as Values).loki.limits_config).toEqual({ retention_period: "168h" });
  });

  it("index with TSDB, schema v13, on the Service port the catalogue names", () => {
    expect(values.loki.schemaConfig).toEqual({
      configs: [{ from: "2024-04-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
    });
    expect(values.loki.server).toMatchObject({ http_listen_port: LOKI_SERVICE.port.number });
  });
});

describe("Loki's namespace", () => {
  it("enforces Pod Security baseline and warns on restricted, and passes the schema", () => {
    const ns = buildLokiNamespace("loki");
    expect(ns.metadata?.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted" });
    expect(() => new Namespace(ns).validate()).not.toThrow();
  });
});

describe("Loki's NetworkPolicies", () => {
  const policies = buildLokiNetworkPolicies(args);
  const byName = Object.fromEntries(policies.map((p) => [p.metadata?.name, p]));

  it("deny all ingress in Loki's namespace by default, and pass the schema", () => {
    expect(byName["default-deny-ingress"]?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
    for (const p of policies) {
      expect(p.metadata?.namespace).toBe("loki");
      expect(() => new NetworkPolicy(p).validate()).not.toThrow();
    }
  });

  it("admit the shipper's pods of its namespace and Grafana's pods of its namespace, on Loki's HTTP port only", () => {
    const http = [{ protocol: "TCP", port: LOKI_SERVICE.port.number }];
    expect(byName["allow-log-shipper"]?.spec?.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "alloy" } }, podSelector: { matchLabels: LOG_SHIPPER_POD_LABELS } }], ports: http },
    ]);
    expect(byName["allow-grafana"]?.spec?.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "grafana" } } }], ports: http },
    ]);
  });

  it("admit nothing else: every peer is the shipper, Grafana or Loki itself, and every policy selects only Loki's pods", () => {
    const peers = policies.flatMap((p) => (p.spec?.ingress ?? []).flatMap((rule) => rule.from ?? []));
    for (const peer of peers) {
      expect(peer.ipBlock).toBeUndefined();
      // A namespace selector without a pod selector would admit a whole namespace.
      expect(peer.podSelector?.matchLabels, JSON.stringify(peer)).toBeTruthy();
    }
    expect(peers.map((p) => p.podSelector?.matchLabels?.["app.kubernetes.io/name"]).sort()).toEqual(["alloy", "grafana", "loki"]);
    const own = peers.find((p) => p.namespaceSelector === undefined);
    expect(own?.podSelector).toEqual({ matchLabels: LOKI_POD_LABELS });
    for (const p of policies.filter((x) => x.metadata?.name !== "default-deny-ingress")) expect(p.spec?.podSelector).toEqual({ matchLabels: LOKI_POD_LABELS });
  });

  it("follow the configured shipper and Grafana namespaces", () => {
    const moved = buildLokiNetworkPolicies({ ...args, shipperNamespace: "logging", grafanaNamespace: "observability" });
    const namespaces = moved.flatMap((p) => (p.spec?.ingress ?? []).flatMap((r) => (r.from ?? []).map((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"])));
    expect(namespaces.filter((n) => n !== undefined).sort()).toEqual(["logging", "observability"]);
  });
});

describe("Grafana's Loki datasource", () => {
  const cm = buildLokiDatasource(args);

  it("is a ConfigMap in Grafana's namespace with the datasource sidecar's label", () => {
    expect(cm.metadata).toMatchObject({ namespace: "monitoring", labels: { grafana_datasource: "1" } });
    expect(() => new ConfigMap(cm).validate()).not.toThrow();
  });

  it("points at Loki's Service by the catalogue's fixed uid, read-only", () => {
    const provisioned = JSON.parse(Object.values(cm.data ?? {})[0]) as { apiVersion: number; datasources: Record<string, unknown>[] };
    expect(provisioned).toEqual({
      apiVersion: 1,
      datasources: [{ name: "Loki", uid: LOKI_DATASOURCE.uid, type: "loki", access: "proxy", url: "http://loki.loki.svc:3100", isDefault: false, editable: false }],
    });
  });
});
