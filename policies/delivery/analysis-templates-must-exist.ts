import { stackPolicy } from "../lib/define";
import { asArray, asRecord, at } from "../lib/props";
import { ROLLOUT_TYPE, nameOf, namespaceOf } from "../lib/rollouts";

const TEMPLATE = "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate";
const CLUSTER_TEMPLATE = "kubernetes:argoproj.io/v1alpha1:ClusterAnalysisTemplate";

/** Every analysis a Rollout runs: background, pre- and post-promotion, and analysis steps. */
function analysisRefs(rollout: Record<string, unknown>): { templateName: string; clusterScope: boolean }[] {
  const strategy = asRecord(at(rollout, "spec", "strategy"));
  const blocks = [
    at(strategy, "canary", "analysis"),
    at(strategy, "blueGreen", "prePromotionAnalysis"),
    at(strategy, "blueGreen", "postPromotionAnalysis"),
    ...asArray(at(strategy, "canary", "steps")).map((s) => asRecord(s).analysis),
  ];
  return blocks.flatMap((b) => asArray(asRecord(b).templates).map(asRecord)).map((t) => ({ templateName: String(t.templateName ?? ""), clusterScope: t.clusterScope === true }));
}

export const analysisTemplatesMustExist = stackPolicy({
  name: "analysis-templates-must-exist",
  area: "delivery",
  description: "Every analysis a Rollout names exists in the stack, in its namespace: a dangling template name fails every release, or is filled by whatever template someone else creates under that name.",
  remediation: "keep the AnalysisTemplate the delivery component creates per service and reference it by its name",
  validate: (args, report) => {
    const templates = args.resources.filter((r) => r.type === TEMPLATE).map((r) => `${namespaceOf(r.props)}/${nameOf(r.props)}`);
    const clusterTemplates = args.resources.filter((r) => r.type === CLUSTER_TEMPLATE).map((r) => nameOf(r.props));
    for (const r of args.resources.filter((x) => x.type === ROLLOUT_TYPE)) {
      for (const ref of analysisRefs(r.props)) {
        const found = ref.clusterScope ? clusterTemplates.includes(ref.templateName) : templates.includes(`${namespaceOf(r.props)}/${ref.templateName}`);
        if (!found) report(`Rollout ${nameOf(r.props)} names analysis template "${ref.templateName}", which is not in the stack`, r.urn);
      }
    }
  },
});
