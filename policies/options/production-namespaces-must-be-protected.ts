import { resourcePolicy } from "../lib/define";
import { DEFAULT_IDENTITY, IDENTITY_SCHEMA, Identity, environmentLabelOf, guarded } from "../lib/identity";
import { nameOf } from "../lib/rollouts";

export const productionNamespacesMustBeProtected = resourcePolicy<Identity>({
  name: "production-namespaces-must-be-protected",
  area: "pulumi-options",
  description: "The environment namespace of a production stack carries Pulumi's `protect`: deleting or renaming it would delete everything inside.",
  remediation: "set namespace.protect: true in the stack config; a rename needs an alias",
  config: { schema: { properties: { ...IDENTITY_SCHEMA } }, defaults: { ...DEFAULT_IDENTITY } },
  validate: (args, report, config) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return;
    const env = environmentLabelOf(args.props);
    // Only the environment's own namespace carries the label; add-on namespaces are per cluster.
    if (env !== undefined && guarded(config, args.urn, env) && !args.opts.protect) report(`Namespace ${nameOf(args.props)} (${env}) is not protected`);
  },
});
