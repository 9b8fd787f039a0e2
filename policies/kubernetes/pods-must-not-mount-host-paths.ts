import { resourcePolicy } from "../lib/define";
import { asArray, asRecord } from "../lib/props";
import { workloadOf } from "../lib/workloads";

export const podsMustNotMountHostPaths = resourcePolicy({
  name: "pods-must-not-mount-host-paths",
  area: "kubernetes-hardening",
  description: "No pod mounts a path of the node: a hostPath volume reads or writes the node's files, the other containers' among them.",
  remediation: "use an emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead of hostPath",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const v of asArray(w.pod.volumes).map(asRecord)) {
      if (v.hostPath !== undefined) report(`${w.kind} ${w.name}: volume ${String(v.name ?? "")} mounts the node's ${String(asRecord(v.hostPath).path ?? "path")}`);
    }
  },
});
