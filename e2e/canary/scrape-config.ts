import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { KubernetesDiscovery, podMonitorJob } from "../../test/live/operator-scrape";

/*
 * The Prometheus the canary analysis queries, configured the way the Prometheus
 * operator would configure it from the PLANNED PodMonitor (the offline plan's
 * manifest of the test stack): real Kubernetes discovery of the stack's pods
 * on the local API server (or its stand-in, discovery.ts), the monitor's selector, port filter, pod target
 * labels (rollouts-pod-template-hash -> rollouts_pod_template_hash) and
 * relabelings. Only the address scraped is the test's own (testOnlyRedirect).
 */

export interface CanaryScrape {
  readonly podMonitor: IPodMonitor;
  /** The local API server itself, or the file_sd file discovery.ts writes (a Prometheus without Kubernetes discovery). */
  readonly discovery: KubernetesDiscovery | { readonly file: string };
  /** host:port of the metrics source (metrics-source.ts). */
  readonly metricsSource: string;
  /** Scrape and rule evaluation interval, such as `2s`. */
  readonly scrapeInterval: string;
}

/** The path the metrics source serves one pod's metrics on; the image decides how the pod behaves. */
export function metricsSourcePath(pod: string, image: string): string {
  return `/pods/${pod}/image/${image}/metrics`;
}

/** The inverse of metricsSourcePath, or undefined for any other path. */
export function parseMetricsSourcePath(urlPath: string): { pod: string; image: string } | undefined {
  const m = /^\/pods\/([^/]+)\/image\/(.+)\/metrics$/.exec(decodeURIComponent(urlPath.split("?")[0]));
  return m ? { pod: m[1], image: m[2] } : undefined;
}

/**
 * THE ONE TEST-ONLY STEP. kwok pods have fake IPs (10.0.0.0/24) and run no
 * process, so nothing answers at `<pod IP>:<port>/metrics`. After the
 * operator's relabelings have decided which pods are targets and how they are
 * labelled, these two rules send each target's scrape to the metrics source on
 * 127.0.0.1, on a path naming the pod and its container image (what the pod
 * "runs"). Everything before them is the operator's rendering of our PodMonitor.
 */
export function testOnlyRedirect(metricsSource: string): object[] {
  return [
    {
      source_labels: ["__meta_kubernetes_pod_name", "__meta_kubernetes_pod_container_image"],
      separator: ";",
      regex: "(.+);(.+)",
      target_label: "__metrics_path__",
      replacement: metricsSourcePath("${1}", "${2}"),
    },
    { target_label: "__address__", replacement: metricsSource },
  ];
}

export function canaryPrometheusConfig(o: CanaryScrape): object {
  const job = podMonitorJob(o.podMonitor, "file" in o.discovery ? o.discovery.file : o.discovery, o.scrapeInterval) as { relabel_configs: object[] };
  return {
    global: { scrape_interval: o.scrapeInterval, evaluation_interval: o.scrapeInterval, scrape_timeout: o.scrapeInterval },
    scrape_configs: [{ ...job, relabel_configs: [...job.relabel_configs, ...testOnlyRedirect(o.metricsSource)] }],
  };
}
