import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

export const containersMustHaveHealthProbes = resourcePolicy({
  name: "containers-must-have-health-probes",
  area: "kubernetes-hardening",
  description: "Every long-running container has liveness and readiness probes, so a canary only takes traffic when ready and a hung pod restarts.",
  remediation: "add livenessProbe and readinessProbe (httpGet on the service's healthPath) to every container",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    // Jobs run to completion: probes do not apply.
    if (!w || w.kind === "Job" || w.kind === "CronJob") return;
    for (const c of w.pod.containers ?? []) {
      if (!c.livenessProbe) report(`${w.kind} ${w.name}: container ${c.name} has no livenessProbe`);
      if (!c.readinessProbe) report(`${w.kind} ${w.name}: container ${c.name} has no readinessProbe`);
    }
  },
});
