import { resourcePolicy } from "../lib/define";
import { environmentOf, nameOf } from "../lib/rollouts";

export const productionNamespacesMustBeProtected = resourcePolicy<{ environments: string[] }>({
  name: "production-namespaces-must-be-protected",
  area: "pulumi-options",
  description: "Namespaces of protected environments carry Pulumi's `protect`: deleting or renaming them would delete everything inside.",
  remediation: "set namespace.protect: true in the stack config; a rename needs an alias",
  config: {
    schema: { properties: { environments: { type: "array", items: { type: "string" }, default: ["production"] } } },
    defaults: { environments: ["production"] },
  },
  validate: (args, report, config) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return;
    const env = environmentOf(args.props);
    if (env !== undefined && config.environments.includes(env) && !args.opts.protect) report(`Namespace ${nameOf(args.props)} (${env}) is not protected`);
  },
});
