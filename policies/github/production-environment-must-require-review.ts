import { stackPolicy } from "../lib/define";
import { DEPLOYMENT_POLICY, ENVIRONMENT } from "../lib/github";
import { DEFAULT_IDENTITY, IDENTITY_SCHEMA, Identity, guarded, sameName } from "../lib/identity";
import { asArray, asRecord, asString } from "../lib/props";

/** A branch pattern that lets any branch (or a whole family of them) deploy. */
const WILDCARD = /[*?[\]]/;

export const productionEnvironmentMustRequireReview = stackPolicy<Identity>({
  name: "production-environment-must-require-review",
  area: "github",
  description: "The GitHub environment of a production stack (or named production, in any case) requires reviewers, forbids self-review, and deploys only from named branches through a custom branch policy.",
  remediation: "set github.reviewers (users or teams) for the stack and keep its deployBranch policy",
  config: { schema: { properties: { ...IDENTITY_SCHEMA } }, defaults: { ...DEFAULT_IDENTITY } },
  validate: (args, report, config) => {
    const policies = args.resources.filter((r) => r.type === DEPLOYMENT_POLICY);
    for (const env of args.resources.filter((r) => r.type === ENVIRONMENT)) {
      const name = String(env.props.environment ?? "");
      if (!guarded(config, env.urn, name)) continue;
      const reviewers = asArray(env.props.reviewers).map(asRecord);
      const count = reviewers.reduce((n, r) => n + asArray(r.users).length + asArray(r.teams).length, 0);
      if (count === 0) report(`environment ${name} has no required reviewers`, env.urn);
      if (env.props.preventSelfReview !== true) report(`environment ${name} lets the person who triggered a deploy approve it`, env.urn);
      if (asRecord(env.props.deploymentBranchPolicy).customBranchPolicies !== true) report(`environment ${name} has no custom deployment branch policy`, env.urn);
      const own = policies.filter((p) => sameName(String(p.props.environment ?? ""), name));
      if (own.length === 0) report(`environment ${name} has no deployment branch policy resource`, env.urn);
      for (const p of own) {
        const pattern = asString(p.props.branchPattern) ?? asString(p.props.tagPattern) ?? "";
        if (pattern === "" || WILDCARD.test(pattern)) report(`environment ${name} deploys from the pattern "${pattern}": name its branch exactly`, p.urn);
      }
    }
  },
});
