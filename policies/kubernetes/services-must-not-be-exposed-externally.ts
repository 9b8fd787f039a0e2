import { resourcePolicy } from "../lib/define";
import { asString, at } from "../lib/props";

export const servicesMustNotBeExposedExternally = resourcePolicy<{ allowExternalServices: boolean }>({
  name: "services-must-not-be-exposed-externally",
  area: "kubernetes-hardening",
  description: "Services are ClusterIP: traffic enters through the ingress controller, not a LoadBalancer or NodePort, unless config allows it.",
  remediation: "use type ClusterIP behind the ingress, or set allowExternalServices: true in policies/config/<stack>.json",
  config: {
    schema: { properties: { allowExternalServices: { type: "boolean", default: false } } },
    defaults: { allowExternalServices: false },
  },
  validate: (args, report, config) => {
    if (args.type !== "kubernetes:core/v1:Service" || config.allowExternalServices) return;
    const type = asString(at(args.props, "spec", "type"));
    if (type === "LoadBalancer" || type === "NodePort") report(`Service ${String(at(args.props, "metadata", "name"))} is of type ${type}`);
  },
});
