import { resourcePolicy } from "../lib/define";
import { findInValues, helmValuesOf, releaseName } from "../lib/helm";
import { asArray, asString, at } from "../lib/props";

const EXTERNAL_TYPES = ["LoadBalancer", "NodePort"];

export const servicesMustNotBeExposedExternally = resourcePolicy<{ allowExternalServices: boolean }>({
  name: "services-must-not-be-exposed-externally",
  area: "kubernetes-hardening",
  description: "Services are ClusterIP without external IPs: traffic enters through the ingress controller, not a LoadBalancer, NodePort or external IP, unless config allows it. Helm values that would create such a Service count too.",
  remediation: "use type ClusterIP behind the ingress and no externalIPs (in Helm values too), or set allowExternalServices: true in policies/config/<stack>.json",
  config: {
    schema: { properties: { allowExternalServices: { type: "boolean", default: false } } },
    defaults: { allowExternalServices: false },
  },
  validate: (args, report, config) => {
    if (config.allowExternalServices) return;
    const values = helmValuesOf(args.type, args.props);
    if (values) {
      const found = findInValues(values, (key, value, parent) => (key === "type" && /service/i.test(parent) && EXTERNAL_TYPES.includes(String(value))) || (key === "externalIPs" && asArray(value).length > 0));
      for (const f of found) report(`Helm release ${releaseName(args.props)}: values ${f.path} = ${JSON.stringify(f.value)} exposes a Service outside the cluster`);
      return;
    }
    if (args.type !== "kubernetes:core/v1:Service") return;
    const name = String(at(args.props, "metadata", "name"));
    const type = asString(at(args.props, "spec", "type"));
    if (type !== undefined && EXTERNAL_TYPES.includes(type)) report(`Service ${name} is of type ${type}`);
    if (asArray(at(args.props, "spec", "externalIPs")).length > 0) report(`Service ${name} has externalIPs`);
  },
});
