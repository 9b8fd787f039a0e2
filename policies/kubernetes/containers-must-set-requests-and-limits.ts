import { resourcePolicy } from "../lib/define";
import { workloadOf } from "../lib/workloads";

export const containersMustSetRequestsAndLimits = resourcePolicy({
  name: "containers-must-set-requests-and-limits",
  area: "kubernetes-hardening",
  description: "Every container declares CPU and memory requests and limits, so scheduling and the namespace quota are predictable.",
  remediation: "set resources.requests and resources.limits for cpu and memory on every container (services[].resources in stack config)",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const c of w.containers) {
      const missing = ["requests", "limits"].flatMap((kind) =>
        ["cpu", "memory"].filter((r) => (c.resources?.[kind as "requests" | "limits"] ?? {})[r] === undefined).map((r) => `${kind}.${r}`),
      );
      if (missing.length > 0) report(`${w.kind} ${w.name}: container ${c.name} lacks ${missing.join(", ")}`);
    }
  },
});
