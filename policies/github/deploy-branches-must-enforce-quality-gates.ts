import { PIPELINE_QUALITY_GATES } from "../../infra/catalogue/pipeline";
import { resourcePolicy } from "../lib/define";
import { BRANCH_PROTECTION } from "../lib/github";
import { asArray, asRecord, at } from "../lib/props";

export const deployBranchesMustEnforceQualityGates = resourcePolicy<{ requiredChecks: string[]; minApprovals: number }>({
  name: "deploy-branches-must-enforce-quality-gates",
  area: "github",
  description: "A protected branch requires every pipeline quality gate as a strict status check, approving reviews, applies to admins with no bypass lists, and refuses force pushes and deletion.",
  remediation: "keep github.requiredChecks equal to the pipeline's job names, requiredApprovals at least minApprovals, and the protection flags the governance component sets",
  config: {
    schema: {
      properties: {
        requiredChecks: { type: "array", items: { type: "string" }, default: [...PIPELINE_QUALITY_GATES] },
        minApprovals: { type: "integer", default: 1 },
      },
    },
    defaults: { requiredChecks: [...PIPELINE_QUALITY_GATES], minApprovals: 1 },
  },
  validate: (args, report, config) => {
    if (args.type !== BRANCH_PROTECTION) return;
    const branch = String(args.props.pattern ?? "");
    const checks = asRecord(asArray(args.props.requiredStatusChecks)[0]);
    const contexts = asArray(checks.contexts).map(String);
    const missing = config.requiredChecks.filter((c) => !contexts.includes(c));
    if (missing.length > 0) report(`branch ${branch}: required checks miss ${missing.map((m) => `"${m}"`).join(", ")}`);
    if (checks.strict !== true) report(`branch ${branch}: status checks are not strict (branch need not be up to date)`);
    const approvals = at(asArray(args.props.requiredPullRequestReviews)[0], "requiredApprovingReviewCount");
    if (typeof approvals !== "number" || approvals < config.minApprovals) report(`branch ${branch}: ${String(approvals ?? "no")} approving reviews required; at least ${config.minApprovals}`);
    if (args.props.enforceAdmins !== true) report(`branch ${branch}: admins can bypass the protection`);
    if (args.props.allowsForcePushes === true) report(`branch ${branch}: force pushes allowed`);
    if (args.props.allowsDeletions === true) report(`branch ${branch}: deletion allowed`);
    // Bypass lists let named people or apps skip what the rest must pass.
    const reviews = asRecord(asArray(args.props.requiredPullRequestReviews)[0]);
    for (const [field, list] of [["forcePushBypassers", args.props.forcePushBypassers], ["pullRequestBypassers", reviews.pullRequestBypassers]] as const) {
      if (asArray(list).length > 0) report(`branch ${branch}: ${field} lets ${asArray(list).length} actor(s) bypass the protection`);
    }
    if (/[*?[\]]/.test(branch)) report(`branch ${branch}: a wildcard pattern; protect the deploy branch by its exact name`);
  },
});
