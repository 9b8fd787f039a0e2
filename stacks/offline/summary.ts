import { Plan } from "./run";

/** A short, readable account of a plan for the terminal: counts, protection, warnings. Never values. */
export function summarize(plan: Plan, manifestCount: number, outDir: string): string {
  const byType = new Map<string, number>();
  for (const r of plan.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const width = Math.max(...[...byType.keys()].map((t) => t.length));
  const protectedOnes = plan.resources.filter((r) => r.options.protect);
  const lines = [
    `stack ${plan.stack}: ${plan.resources.length} resources, ${manifestCount} Kubernetes manifests -> ${outDir}`,
    ...[...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `  ${t.padEnd(width)}  ${n}`),
    `  protected: ${protectedOnes.length === 0 ? "none" : protectedOnes.map((r) => `${r.type} ${r.name}`).join(", ")}`,
    `  warnings: ${plan.warnings.length === 0 ? "none" : plan.warnings.length}`,
    ...plan.warnings.map((w) => `    - ${w}`),
  ];
  return lines.join("\n");
}
