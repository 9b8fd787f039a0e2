import { stackPolicy } from "../lib/define";
import { PDB_TYPE, ROLLOUT_TYPE, nameOf, namespaceOf, podLabelsOf, resourcesOfType, selects } from "../lib/rollouts";
import { at } from "../lib/props";

export const rolloutsMustHaveDisruptionBudget = stackPolicy({
  name: "rollouts-must-have-disruption-budget",
  area: "delivery",
  description: "Every Rollout has a PodDisruptionBudget in its namespace selecting its pods, so node drains cannot take the service down mid-canary.",
  remediation: "keep the PodDisruptionBudget the delivery component creates per service",
  validate: (args, report) => {
    const pdbs = resourcesOfType(args.resources, PDB_TYPE);
    for (const r of resourcesOfType(args.resources, ROLLOUT_TYPE)) {
      const covered = pdbs.some((p) => namespaceOf(p.props) === namespaceOf(r.props) && selects(at(p.props, "spec", "selector"), podLabelsOf(r.props)));
      if (!covered) report(`Rollout ${nameOf(r.props)} in ${namespaceOf(r.props)} has no PodDisruptionBudget`, r.urn);
    }
  },
});
