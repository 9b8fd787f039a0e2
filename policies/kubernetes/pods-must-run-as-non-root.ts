import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

export const podsMustRunAsNonRoot = resourcePolicy({
  name: "pods-must-run-as-non-root",
  area: "kubernetes-hardening",
  description: "Every pod runs as a non-root user (Pod Security restricted refuses root pods at admission, after the deploy has started).",
  remediation: "set securityContext.runAsNonRoot: true (and a non-zero runAsUser) on the pod or on every container",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    const podNonRoot = w.pod.securityContext?.runAsNonRoot === true && w.pod.securityContext?.runAsUser !== 0;
    for (const c of w.containers) {
      const nonRoot = c.securityContext?.runAsNonRoot ?? podNonRoot;
      if (nonRoot !== true || c.securityContext?.runAsUser === 0) report(`${w.kind} ${w.name}: container ${c.name} may run as root`);
    }
  },
});
