import { describe, expect, it } from "vitest";
import { POD_HASH_METRIC_LABEL } from "../../../infra/catalogue/metrics";
import { buildPodMonitor } from "../../../infra/observability/builders/monitors";
import { podTargetGroups } from "../../../e2e/canary/discovery";
import { BAD_ERRORS_PER_SECOND, behaviourOf, startMetricsSource } from "../../../e2e/canary/metrics-source";
import { canaryPrometheusConfig, metricsSourcePath, parseMetricsSourcePath, testOnlyRedirect } from "../../../e2e/canary/scrape-config";
import { staging } from "../../observability/fixtures";

type Job = { kubernetes_sd_configs?: object[]; file_sd_configs?: object[]; relabel_configs: Array<Record<string, unknown>> };

const monitor = buildPodMonitor(staging(), { name: "orchestrator", port: 8080 });
const tls = { caFile: "/t/ca.crt", certFile: "/t/client.crt", keyFile: "/t/client.key" };

describe("the canary suite's Prometheus (e2e/canary)", () => {
  const config = canaryPrometheusConfig({ podMonitor: monitor, discovery: { apiServer: "https://127.0.0.1:6443", tls }, metricsSource: "127.0.0.1:9999", scrapeInterval: "2s" }) as {
    scrape_configs: Job[];
  };
  const job = config.scrape_configs[0];

  it("discovers the stack's pods on the API server, as the admin client, in the monitor's namespace only", () => {
    expect(job.kubernetes_sd_configs).toEqual([
      {
        role: "pod",
        api_server: "https://127.0.0.1:6443",
        tls_config: { ca_file: "/t/ca.crt", cert_file: "/t/client.crt", key_file: "/t/client.key" },
        namespaces: { names: ["agent-hive-staging"] },
      },
    ]);
  });

  it("applies the PodMonitor's own relabelings, copies the pod-template hash, and only then redirects the scrape", () => {
    const rules = job.relabel_configs;
    const hash = rules.findIndex((r) => r.target_label === POD_HASH_METRIC_LABEL);
    const port = rules.findIndex((r) => r.action === "keep" && (r.source_labels as string[])[0] === "__meta_kubernetes_pod_container_port_number");
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(rules[port]).toMatchObject({ regex: "8080" });
    expect(rules.slice(-2)).toEqual(testOnlyRedirect("127.0.0.1:9999"));
    expect(Math.max(hash, port)).toBeLessThan(rules.length - 2);
  });

  it("reads targets from a file when the Prometheus has no Kubernetes discovery", () => {
    const fileJob = (canaryPrometheusConfig({ podMonitor: monitor, discovery: { file: "/t/pods.json" }, metricsSource: "127.0.0.1:1", scrapeInterval: "2s" }) as { scrape_configs: Job[] })
      .scrape_configs[0];
    expect(fileJob.file_sd_configs).toEqual([{ files: ["/t/pods.json"], refresh_interval: "1s" }]);
    expect(fileJob).not.toHaveProperty("kubernetes_sd_configs");
  });

  it("names the pod and its image in the scrape path, and reads them back", () => {
    const p = metricsSourcePath("agent-hive-orchestrator-5f86df596-x7ncc", "ghcr.io/leanvibe/agent-hive:1.0.2-bad");
    expect(parseMetricsSourcePath(p)).toEqual({ pod: "agent-hive-orchestrator-5f86df596-x7ncc", image: "ghcr.io/leanvibe/agent-hive:1.0.2-bad" });
    expect(parseMetricsSourcePath("/metrics")).toBeUndefined();
  });
});

describe("pod discovery for a Prometheus without it (e2e/canary/discovery.ts)", () => {
  const pod = (name: string, ip: string | undefined, ports: object[] | undefined) => ({
    metadata: { name, namespace: "ns", uid: "u1", labels: { app: "agent-hive", "rollouts-pod-template-hash": "5f86df596" }, ownerReferences: [{ kind: "ReplicaSet", name: "rs", controller: true }] },
    spec: { nodeName: "kwok-node-0", containers: [{ name: "orchestrator", image: "ghcr.io/leanvibe/agent-hive:1.0.1", ...(ports ? { ports } : {}) }] },
    status: { phase: "Running", podIP: ip, hostIP: "127.0.0.1", conditions: [{ type: "Ready", status: "True" }] },
  });

  it("makes one target per container port at the pod's IP, with Kubernetes discovery's labels", () => {
    const [g] = podTargetGroups([pod("p1", "10.0.0.3", [{ name: "http", containerPort: 8080, protocol: "TCP" }])]);
    expect(g.targets).toEqual(["10.0.0.3:8080"]);
    expect(g.labels).toMatchObject({
      __meta_kubernetes_namespace: "ns",
      __meta_kubernetes_pod_name: "p1",
      __meta_kubernetes_pod_ready: "true",
      __meta_kubernetes_pod_label_rollouts_pod_template_hash: "5f86df596",
      __meta_kubernetes_pod_labelpresent_rollouts_pod_template_hash: "true",
      __meta_kubernetes_pod_container_name: "orchestrator",
      __meta_kubernetes_pod_container_image: "ghcr.io/leanvibe/agent-hive:1.0.1",
      __meta_kubernetes_pod_container_port_name: "http",
      __meta_kubernetes_pod_container_port_number: "8080",
      __meta_kubernetes_pod_controller_kind: "ReplicaSet",
    });
  });

  it("leaves out pods without an IP yet, and gives a portless container one target at the IP", () => {
    expect(podTargetGroups([pod("pending", undefined, [{ containerPort: 8080 }])])).toEqual([]);
    const [g] = podTargetGroups([pod("p2", "10.0.0.4", undefined)]);
    expect(g.targets).toEqual(["10.0.0.4"]);
    expect(g.labels).not.toHaveProperty("__meta_kubernetes_pod_container_port_number");
  });
});

describe("the metrics source: a pod behaves as its image tag says", () => {
  it("breaks the error-rate SLO with -bad, exposes nothing with -blind, is healthy otherwise", () => {
    expect(behaviourOf("ghcr.io/leanvibe/agent-hive:1.0.2-bad")).toMatchObject({ kind: "bad", pod: { errorsPerSecond: BAD_ERRORS_PER_SECOND } });
    expect(BAD_ERRORS_PER_SECOND).toBeGreaterThan(10 * 0.1); // far above staging's slo.errorRatePerSecond
    expect(behaviourOf("ghcr.io/leanvibe/agent-hive:1.0.3-blind")).toEqual({ kind: "blind" });
    expect(behaviourOf("ghcr.io/leanvibe/agent-hive:1.0.1")).toMatchObject({ kind: "healthy" });
    expect(behaviourOf("localhost:5000/agent-hive:1.0.1")).toMatchObject({ kind: "healthy" });
  });

  it("serves the catalogue's metrics per pod, and 404 for a blind one", async () => {
    const source = await startMetricsSource(0, () => {});
    try {
      const get = (pod: string, image: string) => fetch(`http://127.0.0.1:${source.port}${metricsSourcePath(pod, image)}`);
      const ok = await get("p1", "ghcr.io/leanvibe/agent-hive:1.0.1");
      expect(ok.status).toBe(200);
      const text = await ok.text();
      expect(text).toContain("agent_hive_errors_total");
      expect(text).toContain('agent_hive_response_time_seconds_bucket{le="0.25"}');
      expect(text).toContain("agent_hive_active_agents");
      expect((await get("p2", "ghcr.io/leanvibe/agent-hive:1.0.3-blind")).status).toBe(404);
    } finally {
      await source.stop();
    }
  });
});
