import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

export const containersMustDropAllCapabilities = resourcePolicy({
  name: "containers-must-drop-all-capabilities",
  area: "kubernetes-hardening",
  description: "Every container drops all Linux capabilities and adds none back beyond NET_BIND_SERVICE.",
  remediation: "set securityContext.capabilities.drop: [ALL] on every container",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const c of w.containers) {
      const caps = c.securityContext?.capabilities;
      if (!caps?.drop?.includes("ALL")) report(`${w.kind} ${w.name}: container ${c.name} does not drop ALL capabilities`);
      const added = (caps?.add ?? []).filter((a) => a !== "NET_BIND_SERVICE");
      if (added.length > 0) report(`${w.kind} ${w.name}: container ${c.name} adds capabilities ${added.join(", ")}`);
    }
  },
});
