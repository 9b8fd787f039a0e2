import { resourcePolicy } from "../lib/define";
import { findInValues, helmValuesOf, releaseName } from "../lib/helm";
import { asArray, asRecord } from "../lib/props";
import { workloadOf } from "../lib/workloads";

/**
 * Chart switches that mount a node path without saying `hostPath`, by the key
 * they sit under: the alloy and grafana-agent charts' `mounts.varlog` and
 * `mounts.dockercontainers` (host /var/log and /var/lib/docker/containers).
 */
const HOST_PATH_SWITCHES: Readonly<Record<string, readonly string[]>> = { mounts: ["varlog", "dockercontainers"] };

export const podsMustNotMountHostPaths = resourcePolicy({
  name: "pods-must-not-mount-host-paths",
  area: "kubernetes-hardening",
  description: "No pod mounts a path of the node: a hostPath volume reads or writes the node's files, the other containers' among them.",
  remediation: "use an emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead of hostPath (in Helm values too; a log shipper reads logs through the Kubernetes API)",
  validate: (args, report) => {
    const values = helmValuesOf(args.type, args.props);
    if (values) {
      // A hostPath volume anywhere in the values (extraVolumes and the like), or a chart's own switch for one.
      const found = findInValues(values, (key, value, parent) => (key === "hostPath" && value !== null && value !== undefined) || (value === true && (HOST_PATH_SWITCHES[parent] ?? []).includes(key)));
      for (const f of found) report(`Helm release ${releaseName(args.props)}: values ${f.path} = ${JSON.stringify(f.value)} mounts a path of the node`);
      return;
    }
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const v of asArray(w.pod.volumes).map(asRecord)) {
      if (v.hostPath !== undefined) report(`${w.kind} ${w.name}: volume ${String(v.name ?? "")} mounts the node's ${String(asRecord(v.hostPath).path ?? "path")}`);
    }
  },
});
