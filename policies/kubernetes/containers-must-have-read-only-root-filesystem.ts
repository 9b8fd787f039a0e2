import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

export const containersMustHaveReadOnlyRootFilesystem = resourcePolicy({
  name: "containers-must-have-read-only-root-filesystem",
  area: "kubernetes-hardening",
  description: "Every container's root filesystem is read-only, so a compromised process cannot change its own binaries.",
  remediation: "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the service writes (/tmp)",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const c of w.containers) {
      if (c.securityContext?.readOnlyRootFilesystem !== true) report(`${w.kind} ${w.name}: container ${c.name} has a writable root filesystem`);
    }
  },
});
