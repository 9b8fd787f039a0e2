import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

const ALLOWED = ["RuntimeDefault", "Localhost"];

export const podsMustUseRuntimeDefaultSeccomp = resourcePolicy({
  name: "pods-must-use-runtime-default-seccomp",
  area: "kubernetes-hardening",
  description: "Every pod runs under a seccomp profile (RuntimeDefault or a Localhost profile), never Unconfined.",
  remediation: "set securityContext.seccompProfile.type: RuntimeDefault on the pod",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    const podType = w.pod.securityContext?.seccompProfile?.type;
    for (const c of w.containers) {
      const type = c.securityContext?.seccompProfile?.type ?? podType;
      if (!type || !ALLOWED.includes(type)) report(`${w.kind} ${w.name}: container ${c.name} has seccomp profile ${type ?? "unset"}`);
    }
  },
});
