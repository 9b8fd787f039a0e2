import { stackPolicy } from "../lib/define";
import { BRANCH_PROTECTION } from "../lib/github";

export const deployBranchesMustBeProtected = stackPolicy<{ branches: string[] }>({
  name: "deploy-branches-must-be-protected",
  area: "github",
  description: "The branches this stack deploys from have a branch protection in the stack, so removing it from code is a visible, failing change.",
  remediation: "keep github.deployBranch's protection in the governance component (and list the stack's deploy branches in policies/config/<stack>.json)",
  config: {
    schema: { properties: { branches: { type: "array", items: { type: "string" }, default: [] } } },
    defaults: { branches: [] },
  },
  validate: (args, report, config) => {
    const protectedBranches = new Set(args.resources.filter((r) => r.type === BRANCH_PROTECTION).map((r) => String(r.props.pattern ?? "")));
    for (const b of config.branches) if (!protectedBranches.has(b)) report(`branch ${b} has no branch protection in this stack`);
  },
});
