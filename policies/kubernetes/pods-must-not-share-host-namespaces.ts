import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

export const podsMustNotShareHostNamespaces = resourcePolicy({
  name: "pods-must-not-share-host-namespaces",
  area: "kubernetes-hardening",
  description: "No pod shares the node's network, PID or IPC namespace or binds a host port.",
  remediation: "remove hostNetwork, hostPID, hostIPC and containers[].ports[].hostPort",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const key of ["hostNetwork", "hostPID", "hostIPC"] as const) {
      if (w.pod[key] === true) report(`${w.kind} ${w.name}: pod sets ${key}`);
    }
    for (const c of w.containers) {
      for (const p of c.ports ?? []) if (p.hostPort !== undefined) report(`${w.kind} ${w.name}: container ${c.name} binds hostPort ${p.hostPort}`);
    }
  },
});
