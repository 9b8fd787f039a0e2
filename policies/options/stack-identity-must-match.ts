import { stackPolicy } from "../lib/define";
import { ENVIRONMENT } from "../lib/github";
import { DEFAULT_IDENTITY, IDENTITY_SCHEMA, Identity, environmentLabelOf, listed, stackOf } from "../lib/identity";
import { nameOf } from "../lib/rollouts";

export const stackIdentityMustMatch = stackPolicy<Identity>({
  name: "stack-identity-must-match",
  area: "pulumi-options",
  description:
    "A production stack (by the name the engine gives it) declares a production environment, and only a production stack does: the environment label and the GitHub environment cannot rename a stack out of its gates, or into another's.",
  remediation: "keep `environment` and github.environment of Pulumi.<stack>.yaml the stack's own; a new production stack is added to `stacks` in its policies/config/<stack>.json",
  config: { schema: { properties: { ...IDENTITY_SCHEMA } }, defaults: { ...DEFAULT_IDENTITY } },
  validate: (args, report, config) => {
    for (const r of args.resources) {
      const declared = r.type === "kubernetes:core/v1:Namespace" ? environmentLabelOf(r.props) : r.type === ENVIRONMENT ? String(r.props.environment ?? "") : undefined;
      if (declared === undefined) continue;
      const stack = stackOf(r.urn) ?? "";
      const what = r.type === ENVIRONMENT ? `GitHub environment "${declared}"` : `namespace ${nameOf(r.props)} (environment "${declared}")`;
      if (listed(config.stacks, stack) && !listed(config.environments, declared)) report(`stack ${stack} is a production stack, but its ${what} is not a production environment`, r.urn);
      if (!listed(config.stacks, stack) && listed(config.environments, declared)) report(`stack ${stack} is not a production stack, but its ${what} claims production`, r.urn);
    }
  },
});
