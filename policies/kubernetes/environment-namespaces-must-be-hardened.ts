import type { PolicyResource } from "@pulumi/policy";
import { ADDON_DEFAULT_NAMESPACES } from "../../infra/catalogue/addons";
import { DEFAULT_INGRESS_CONTROLLER_NAMESPACE } from "../../infra/catalogue/public-endpoint";
import { stackPolicy } from "../lib/define";
import { environmentLabelOf } from "../lib/identity";
import { asArray, asRecord, asString, at } from "../lib/props";
import { nameOf, namespaceOf } from "../lib/rollouts";

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const QUOTA = "kubernetes:core/v1:ResourceQuota";

/** `default-deny`: selects every pod, both directions, and allows nothing itself. */
function deniesAll(p: PolicyResource): boolean {
  const spec = asRecord(p.props.spec);
  const selectsAll = Object.keys(asRecord(spec.podSelector)).every((k) => Object.keys(asRecord(asRecord(spec.podSelector)[k])).length === 0);
  const types = asArray(spec.policyTypes).map(String);
  return selectsAll && types.includes("Ingress") && types.includes("Egress") && asArray(spec.ingress).length === 0 && asArray(spec.egress).length === 0;
}

/** The system namespaces, the add-ons' defaults and the usual ingress and certificate controllers'. */
const RESERVED_NAMESPACES = ["kube-*", "default", ...Object.values(ADDON_DEFAULT_NAMESPACES), DEFAULT_INGRESS_CONTROLLER_NAMESPACE];

/** Names matching a pattern list, where `kube-*` is a prefix. */
const reserved = (patterns: readonly string[], name: string) => patterns.some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : p === name));

export const environmentNamespacesMustBeHardened = stackPolicy<{ reservedNamespaces: string[] }>({
  name: "environment-namespaces-must-be-hardened",
  area: "kubernetes-hardening",
  description:
    "An environment namespace enforces Pod Security `restricted`, denies all traffic by default, and has a quota; and it is never a system or add-on namespace, where those would cut off the cluster's DNS or its monitoring.",
  remediation: "keep the environment component's labels, default-deny NetworkPolicy and ResourceQuota; set namespace.name to the environment's own namespace",
  config: {
    schema: { properties: { reservedNamespaces: { type: "array", items: { type: "string" }, default: RESERVED_NAMESPACES } } },
    defaults: { reservedNamespaces: RESERVED_NAMESPACES },
  },
  validate: (args, report, config) => {
    const namespaces = args.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
    const addOnNamespaces = new Set(namespaces.filter((n) => environmentLabelOf(n.props) === undefined).map((n) => nameOf(n.props)));
    for (const ns of namespaces.filter((n) => environmentLabelOf(n.props) !== undefined)) {
      const name = nameOf(ns.props);
      if (reserved(config.reservedNamespaces, name) || addOnNamespaces.has(name)) {
        report(`namespace ${name} is a system or add-on namespace and cannot hold an environment`, ns.urn);
      }
      if (asString(at(ns.props, "metadata", "labels", "pod-security.kubernetes.io/enforce")) !== "restricted") {
        report(`namespace ${name} does not enforce Pod Security restricted`, ns.urn);
      }
      const inside = (type: string) => args.resources.filter((r) => r.type === type && namespaceOf(r.props) === name);
      if (!inside(NETWORK_POLICY).some(deniesAll)) report(`namespace ${name} has no default-deny NetworkPolicy`, ns.urn);
      if (inside(QUOTA).length === 0) report(`namespace ${name} has no ResourceQuota`, ns.urn);
    }
  },
});
