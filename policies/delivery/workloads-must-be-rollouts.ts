import { stackPolicy } from "../lib/define";
import { environmentLabelOf } from "../lib/identity";
import { asRecord, at, kindOf } from "../lib/props";
import { ROLLOUT_TYPE, nameOf, namespaceOf } from "../lib/rollouts";
import { POD_MAKING_KINDS } from "../lib/workloads";

export const workloadsMustBeRollouts = stackPolicy({
  name: "workloads-must-be-rollouts",
  area: "delivery",
  description:
    "Everything that makes pods in an environment namespace is a Rollout with its own pod template: a Deployment, Job, bare Pod or a Rollout pointing at a Deployment (workloadRef) would ship without canary, analysis or the gates that read the template.",
  remediation: "add the service to the stack config's services (it becomes a Rollout); keep the pod template in the Rollout",
  validate: (args, report) => {
    const environments = new Set(args.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && environmentLabelOf(r.props) !== undefined).map((r) => nameOf(r.props)));
    for (const r of args.resources) {
      const kind = kindOf(r.type);
      if (!kind || !POD_MAKING_KINDS.includes(kind) || !environments.has(namespaceOf(r.props))) continue;
      if (r.type !== ROLLOUT_TYPE) {
        report(`${kind} ${nameOf(r.props)} in ${namespaceOf(r.props)} is not a Rollout`, r.urn);
      } else if (at(r.props, "spec", "workloadRef") !== undefined || Object.keys(asRecord(at(r.props, "spec", "template"))).length === 0) {
        report(`Rollout ${nameOf(r.props)} in ${namespaceOf(r.props)} has no pod template of its own (workloadRef): the gates cannot see its pods`, r.urn);
      }
    }
  },
});
