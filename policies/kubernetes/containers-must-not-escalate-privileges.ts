import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

export const containersMustNotEscalatePrivileges = resourcePolicy({
  name: "containers-must-not-escalate-privileges",
  area: "kubernetes-hardening",
  description: "No container can gain more privileges than its parent process, and none is privileged.",
  remediation: "set securityContext.allowPrivilegeEscalation: false and leave privileged unset on every container",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const c of w.containers) {
      if (c.securityContext?.allowPrivilegeEscalation !== false) report(`${w.kind} ${w.name}: container ${c.name} allows privilege escalation`);
      if (c.securityContext?.privileged === true) report(`${w.kind} ${w.name}: container ${c.name} is privileged`);
    }
  },
});
