import { resourcePolicy } from "../lib/define";
import { findInValues, helmValuesOf, releaseName } from "../lib/helm";
import { workloadOf } from "../lib/workloads";

const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"] as const;

export const podsMustNotShareHostNamespaces = resourcePolicy({
  name: "pods-must-not-share-host-namespaces",
  area: "kubernetes-hardening",
  description: "No pod shares the node's network, PID or IPC namespace or binds a host port, whether in a workload or through Helm values.",
  remediation: "remove hostNetwork, hostPID, hostIPC and containers[].ports[].hostPort (in Helm values too)",
  validate: (args, report) => {
    const values = helmValuesOf(args.type, args.props);
    if (values) {
      const found = findInValues(values, (key, value) => ((HOST_NAMESPACES as readonly string[]).includes(key) && value === true) || (key === "hostPort" && value !== undefined && value !== null));
      for (const f of found) report(`Helm release ${releaseName(args.props)}: values ${f.path} = ${JSON.stringify(f.value)} shares the node's namespaces`);
      return;
    }
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const key of HOST_NAMESPACES) {
      if (w.pod[key] === true) report(`${w.kind} ${w.name}: pod sets ${key}`);
    }
    for (const c of w.containers) {
      for (const p of c.ports ?? []) if (p.hostPort !== undefined) report(`${w.kind} ${w.name}: container ${c.name} binds hostPort ${p.hostPort}`);
    }
  },
});
