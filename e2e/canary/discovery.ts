import { sanitize } from "../../test/live/operator-scrape";

/*
 * Kubernetes pod discovery for a Prometheus that has none. Debian's
 * prometheus (2.42.0+ds) is built without `kubernetes_sd_configs` ("field
 * kubernetes_sd_configs not found in type config.ScrapeConfig"), so the
 * canary run lists the namespace's real pods from the API server each second
 * and writes them for `file_sd_configs` as the target groups Prometheus's own
 * Kubernetes discovery would make of them (role pod: discovery/kubernetes/pod.go
 * — one target per container port, `<pod IP>:<port>`, the same
 * `__meta_kubernetes_*` labels; pods without an IP yet are left out). The
 * PodMonitor's relabelings then run on those labels exactly as in a cluster.
 * With a Prometheus built with Kubernetes discovery, run.sh uses the real
 * `kubernetes_sd_configs` instead and this is not used.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

function podLabels(pod: Obj): Record<string, string> {
  const m = pod.metadata ?? {};
  const out: Record<string, string> = {
    __meta_kubernetes_namespace: m.namespace ?? "",
    __meta_kubernetes_pod_name: m.name ?? "",
    __meta_kubernetes_pod_ip: pod.status?.podIP ?? "",
    __meta_kubernetes_pod_ready: String((pod.status?.conditions ?? []).some((c: Obj) => c.type === "Ready" && c.status === "True")),
    __meta_kubernetes_pod_phase: pod.status?.phase ?? "",
    __meta_kubernetes_pod_node_name: pod.spec?.nodeName ?? "",
    __meta_kubernetes_pod_host_ip: pod.status?.hostIP ?? "",
    __meta_kubernetes_pod_uid: m.uid ?? "",
  };
  const controller = (m.ownerReferences ?? []).find((r: Obj) => r.controller === true);
  if (controller) {
    out.__meta_kubernetes_pod_controller_kind = controller.kind;
    out.__meta_kubernetes_pod_controller_name = controller.name;
  }
  for (const [k, v] of Object.entries((m.labels ?? {}) as Record<string, string>)) {
    out[`__meta_kubernetes_pod_label_${sanitize(k)}`] = v;
    out[`__meta_kubernetes_pod_labelpresent_${sanitize(k)}`] = "true";
  }
  for (const [k, v] of Object.entries((m.annotations ?? {}) as Record<string, string>)) {
    out[`__meta_kubernetes_pod_annotation_${sanitize(k)}`] = v;
    out[`__meta_kubernetes_pod_annotationpresent_${sanitize(k)}`] = "true";
  }
  return out;
}

/** The target groups of Prometheus's Kubernetes discovery, role pod, for these pods: one group per container port. */
export function podTargetGroups(pods: readonly Obj[]): TargetGroup[] {
  const groups: TargetGroup[] = [];
  for (const pod of pods) {
    const ip: string = pod.status?.podIP ?? "";
    if (ip === "") continue;
    const shared = podLabels(pod);
    const statuses: Obj[] = pod.status?.containerStatuses ?? [];
    for (const c of (pod.spec?.containers ?? []) as Obj[]) {
      const container = {
        __meta_kubernetes_pod_container_name: c.name,
        __meta_kubernetes_pod_container_image: c.image,
        __meta_kubernetes_pod_container_id: statuses.find((s) => s.name === c.name)?.containerID ?? "",
        __meta_kubernetes_pod_container_init: "false",
      };
      const ports: Obj[] = c.ports ?? [];
      if (ports.length === 0) {
        groups.push({ targets: [ip], labels: { ...shared, ...container } });
        continue;
      }
      for (const p of ports) {
        groups.push({
          targets: [`${ip}:${p.containerPort}`],
          labels: {
            ...shared,
            ...container,
            __meta_kubernetes_pod_container_port_name: p.name ?? "",
            __meta_kubernetes_pod_container_port_number: String(p.containerPort),
            __meta_kubernetes_pod_container_port_protocol: p.protocol ?? "TCP",
          },
        });
      }
    }
  }
  return groups;
}
