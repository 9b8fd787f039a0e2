import { stackPolicy } from "../lib/define";
import { PDB_TYPE, ROLLOUT_TYPE, nameOf, namespaceOf, podLabelsOf, resourcesOfType, selects } from "../lib/rollouts";
import { asRecord, at } from "../lib/props";

/** A budget that protects nothing: all pods may be unavailable, or none need be available. */
function allowsEveryPodDown(spec: unknown, replicas: number): boolean {
  const { maxUnavailable, minAvailable } = asRecord(spec);
  const share = (v: unknown) => (typeof v === "string" && v.endsWith("%") ? (Number(v.slice(0, -1)) / 100) * replicas : Number(v));
  if (maxUnavailable !== undefined) return share(maxUnavailable) >= replicas;
  if (minAvailable !== undefined) return share(minAvailable) <= 0;
  return true;
}

export const rolloutsMustHaveDisruptionBudget = stackPolicy({
  name: "rollouts-must-have-disruption-budget",
  area: "delivery",
  description: "Every Rollout has a PodDisruptionBudget in its namespace selecting its pods that keeps at least one of them up, so node drains cannot take the service down mid-canary.",
  remediation: "keep the PodDisruptionBudget the delivery component creates per service",
  validate: (args, report) => {
    const pdbs = resourcesOfType(args.resources, PDB_TYPE);
    for (const r of resourcesOfType(args.resources, ROLLOUT_TYPE)) {
      const replicas = Number(at(r.props, "spec", "replicas") ?? 1);
      const mine = pdbs.filter((p) => namespaceOf(p.props) === namespaceOf(r.props) && selects(at(p.props, "spec", "selector"), podLabelsOf(r.props)));
      if (mine.length === 0) report(`Rollout ${nameOf(r.props)} in ${namespaceOf(r.props)} has no PodDisruptionBudget`, r.urn);
      for (const p of mine) {
        if (allowsEveryPodDown(at(p.props, "spec"), replicas)) report(`PodDisruptionBudget ${nameOf(p.props)} lets every pod of Rollout ${nameOf(r.props)} go at once`, p.urn);
      }
    }
  },
});
