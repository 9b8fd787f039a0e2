import { resourcePolicy } from "../lib/define";
import { BRANCH_PROTECTION, DEPLOYMENT_POLICY, ENVIRONMENT, REPOSITORY_FILE } from "../lib/github";
import { DEFAULT_IDENTITY, IDENTITY_SCHEMA, Identity, guarded } from "../lib/identity";

export const governanceResourcesMustBeProtected = resourcePolicy<Identity & { branches: string[] }>({
  name: "governance-resources-must-be-protected",
  area: "pulumi-options",
  description: "Approval gates of protected branches and environments, and a protected branch's quality threshold files, carry `protect` (the component adds retainOnDelete), so deleting code never silently removes them.",
  remediation: "keep the production stack's governance protected (stack config github protection) and remove a gate only with pulumi state unprotect",
  config: {
    schema: {
      properties: {
        branches: { type: "array", items: { type: "string" }, default: ["main"] },
        ...IDENTITY_SCHEMA,
      },
    },
    defaults: { branches: ["main"], ...DEFAULT_IDENTITY },
  },
  validate: (args, report, config) => {
    let subject: string | undefined;
    if (args.type === BRANCH_PROTECTION && config.branches.includes(String(args.props.pattern))) subject = `branch protection ${String(args.props.pattern)}`;
    // The quality threshold files of a guarded branch are part of its gates.
    if (args.type === REPOSITORY_FILE && config.branches.includes(String(args.props.branch))) subject = `${String(args.props.file)} on ${String(args.props.branch)}`;
    if ((args.type === ENVIRONMENT || args.type === DEPLOYMENT_POLICY) && guarded(config, args.urn, String(args.props.environment ?? ""))) {
      subject = `${args.type === ENVIRONMENT ? "environment" : "deployment policy of"} ${String(args.props.environment)}`;
    }
    if (subject && !args.opts.protect) report(`${subject} is not protected`);
  },
});
