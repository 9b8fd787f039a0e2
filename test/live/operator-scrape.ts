import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";

/*
 * The scrape jobs the Prometheus operator generates from a PodMonitor or a
 * ServiceMonitor (pkg/prometheus/promcfg.go), with Kubernetes discovery
 * replaced by file_sd: the test writes one target group per simulated pod,
 * carrying the same `__meta_kubernetes_*` labels Kubernetes discovery would.
 * The monitor's own selector, port filter and relabelings then decide what is
 * scraped and how it is labelled, exactly as in a cluster, so a selector that
 * misses the Rollout's pods, or a port that does not match, scrapes nothing.
 */

type Relabeling = { action?: string; sourceLabels?: string[]; targetLabel?: string; regex?: string; replacement?: string; separator?: string };

/** Prometheus label names from Kubernetes label names, as discovery writes them. */
export const sanitize = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, "_");

const escapeRegex = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function relabel(r: Relabeling): object {
  return {
    ...(r.action ? { action: r.action.toLowerCase() } : {}),
    ...(r.sourceLabels ? { source_labels: r.sourceLabels } : {}),
    ...(r.targetLabel ? { target_label: r.targetLabel } : {}),
    ...(r.regex !== undefined ? { regex: r.regex } : {}),
    ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
    ...(r.separator !== undefined ? { separator: r.separator } : {}),
  };
}

/** The operator's selector: keep targets whose object has every matchLabels label with its value. */
function selectorKeep(kind: "pod" | "service", matchLabels: Record<string, string> = {}): object[] {
  return Object.entries(matchLabels).map(([k, v]) => ({
    action: "keep",
    source_labels: [`__meta_kubernetes_${kind}_label_${sanitize(k)}`, `__meta_kubernetes_${kind}_labelpresent_${sanitize(k)}`],
    regex: `(${escapeRegex(v)});true`,
  }));
}

const namespaceKeep = (names: string[] = []) =>
  names.length === 0 ? [] : [{ action: "keep", source_labels: ["__meta_kubernetes_namespace"], regex: `(${names.map(escapeRegex).join("|")})` }];

const fileSd = (file: string) => [{ files: [file], refresh_interval: "1s" }];

/**
 * Real Kubernetes discovery instead of file_sd (the e2e tier: a Prometheus
 * outside the cluster watching a local API server's pods). The operator's own
 * `kubernetes_sd_configs` entry: role pod, the monitor's namespaces.
 */
export interface KubernetesDiscovery {
  apiServer: string;
  tls: { caFile: string; certFile: string; keyFile: string };
}

function kubernetesSd(monitor: IPodMonitor, k: KubernetesDiscovery): object[] {
  const names = monitor.spec.namespaceSelector?.matchNames ?? [monitor.metadata?.namespace ?? ""];
  return [
    {
      role: "pod",
      api_server: k.apiServer,
      tls_config: { ca_file: k.tls.caFile, cert_file: k.tls.certFile, key_file: k.tls.keyFile },
      namespaces: { names },
    },
  ];
}

/**
 * A PodMonitor's first endpoint as the operator renders it, its targets read
 * from `file` (file_sd), or discovered from a real API server.
 */
export function podMonitorJob(monitor: IPodMonitor, file: string | KubernetesDiscovery, scrapeInterval = "1s"): object {
  const ns = monitor.metadata?.namespace ?? "";
  const name = monitor.metadata?.name ?? "";
  const endpoint = monitor.spec.podMetricsEndpoints?.[0] ?? {};
  return {
    job_name: `podMonitor/${ns}/${name}/0`,
    honor_labels: endpoint.honorLabels ?? false,
    metrics_path: endpoint.path ?? "/metrics",
    scrape_interval: scrapeInterval,
    ...(typeof file === "string" ? { file_sd_configs: fileSd(file) } : { kubernetes_sd_configs: kubernetesSd(monitor, file) }),
    relabel_configs: [
      ...selectorKeep("pod", monitor.spec.selector.matchLabels as Record<string, string> | undefined),
      ...namespaceKeep(monitor.spec.namespaceSelector?.matchNames),
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "container" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      ...(monitor.spec.podTargetLabels ?? []).map((l) => ({
        source_labels: [`__meta_kubernetes_pod_label_${sanitize(l)}`],
        target_label: sanitize(l),
        regex: "(.+)",
        replacement: "${1}",
      })),
      { target_label: "job", replacement: `${ns}/${name}` },
      ...(endpoint.relabelings ?? []).map((r) => relabel(r as Relabeling)),
    ],
    ...(endpoint.metricRelabelings ? { metric_relabel_configs: endpoint.metricRelabelings.map((r) => relabel(r as Relabeling)) } : {}),
  };
}

/** A ServiceMonitor's first endpoint as the operator renders it, its targets read from `file`. */
export function serviceMonitorJob(monitor: IServiceMonitor, file: string, scrapeInterval = "1s"): object {
  const ns = monitor.metadata?.namespace ?? "";
  const name = monitor.metadata?.name ?? "";
  const endpoint = monitor.spec.endpoints?.[0] ?? {};
  return {
    job_name: `serviceMonitor/${ns}/${name}/0`,
    honor_labels: endpoint.honorLabels ?? false,
    metrics_path: endpoint.path ?? "/metrics",
    scrape_interval: scrapeInterval,
    file_sd_configs: fileSd(file),
    relabel_configs: [
      ...selectorKeep("service", monitor.spec.selector.matchLabels as Record<string, string> | undefined),
      ...namespaceKeep(monitor.spec.namespaceSelector?.matchNames),
      ...(endpoint.port ? [{ action: "keep", source_labels: ["__meta_kubernetes_endpoint_port_name"], regex: escapeRegex(endpoint.port) }] : []),
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_service_name"], target_label: "service" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      { source_labels: ["__meta_kubernetes_service_name"], target_label: "job" },
      ...(endpoint.relabelings ?? []).map((r) => relabel(r as Relabeling)),
    ],
    ...(endpoint.metricRelabelings ? { metric_relabel_configs: endpoint.metricRelabelings.map((r) => relabel(r as Relabeling)) } : {}),
  };
}

/** What Kubernetes discovery says about one pod container port, as target labels. */
export function podTarget(p: { namespace: string; pod: string; container: string; port: number; labels: Record<string, string> }): Record<string, string> {
  const out: Record<string, string> = {
    __meta_kubernetes_namespace: p.namespace,
    __meta_kubernetes_pod_name: p.pod,
    __meta_kubernetes_pod_container_name: p.container,
    __meta_kubernetes_pod_container_port_number: String(p.port),
  };
  for (const [k, v] of Object.entries(p.labels)) {
    out[`__meta_kubernetes_pod_label_${sanitize(k)}`] = v;
    out[`__meta_kubernetes_pod_labelpresent_${sanitize(k)}`] = "true";
  }
  return out;
}

/** What Kubernetes endpoints discovery says about one Service endpoint, as target labels. */
export function serviceTarget(s: { namespace: string; service: string; port: string; pod: string; labels?: Record<string, string> }): Record<string, string> {
  const out: Record<string, string> = {
    __meta_kubernetes_namespace: s.namespace,
    __meta_kubernetes_service_name: s.service,
    __meta_kubernetes_endpoint_port_name: s.port,
    __meta_kubernetes_pod_name: s.pod,
  };
  for (const [k, v] of Object.entries(s.labels ?? {})) {
    out[`__meta_kubernetes_service_label_${sanitize(k)}`] = v;
    out[`__meta_kubernetes_service_labelpresent_${sanitize(k)}`] = "true";
  }
  return out;
}
