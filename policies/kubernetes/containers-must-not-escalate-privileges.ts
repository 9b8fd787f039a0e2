import { resourcePolicy } from "../lib/define";
import { findInValues, helmValuesOf, releaseName } from "../lib/helm";
import { workloadOf } from "../lib/workloads";

export const containersMustNotEscalatePrivileges = resourcePolicy({
  name: "containers-must-not-escalate-privileges",
  area: "kubernetes-hardening",
  description: "No container can gain more privileges than its parent process, and none is privileged, whether in a workload or through Helm values.",
  remediation: "set securityContext.allowPrivilegeEscalation: false and leave privileged unset on every container (in Helm values too)",
  validate: (args, report) => {
    const values = helmValuesOf(args.type, args.props);
    if (values) {
      const found = findInValues(values, (key, value) => (key === "privileged" || key === "allowPrivilegeEscalation") && value === true);
      for (const f of found) report(`Helm release ${releaseName(args.props)}: values ${f.path} = true grants a container privileges`);
      return;
    }
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const c of w.containers) {
      if (c.securityContext?.allowPrivilegeEscalation !== false) report(`${w.kind} ${w.name}: container ${c.name} allows privilege escalation`);
      if (c.securityContext?.privileged === true) report(`${w.kind} ${w.name}: container ${c.name} is privileged`);
    }
  },
});
