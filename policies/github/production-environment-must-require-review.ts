import { stackPolicy } from "../lib/define";
import { DEPLOYMENT_POLICY, ENVIRONMENT } from "../lib/github";
import { asArray, asRecord } from "../lib/props";

export const productionEnvironmentMustRequireReview = stackPolicy<{ environments: string[] }>({
  name: "production-environment-must-require-review",
  area: "github",
  description: "A reviewed GitHub environment (production) requires reviewers, forbids self-review, and only deploys from its branch through a custom branch policy.",
  remediation: "set github.reviewers (users or teams) for the stack and keep its deployBranch policy",
  config: {
    schema: { properties: { environments: { type: "array", items: { type: "string" }, default: ["production"] } } },
    defaults: { environments: ["production"] },
  },
  validate: (args, report, config) => {
    const policies = args.resources.filter((r) => r.type === DEPLOYMENT_POLICY);
    for (const env of args.resources.filter((r) => r.type === ENVIRONMENT)) {
      const name = String(env.props.environment ?? "");
      if (!config.environments.includes(name)) continue;
      const reviewers = asArray(env.props.reviewers).map(asRecord);
      const count = reviewers.reduce((n, r) => n + asArray(r.users).length + asArray(r.teams).length, 0);
      if (count === 0) report(`environment ${name} has no required reviewers`, env.urn);
      if (env.props.preventSelfReview !== true) report(`environment ${name} lets the person who triggered a deploy approve it`, env.urn);
      if (asRecord(env.props.deploymentBranchPolicy).customBranchPolicies !== true) report(`environment ${name} has no custom deployment branch policy`, env.urn);
      if (!policies.some((p) => p.props.environment === name)) report(`environment ${name} has no deployment branch policy resource`, env.urn);
    }
  },
});
