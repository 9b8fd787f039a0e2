import { plainHttpAnnotation } from "../../infra/catalogue/public-endpoint";
import { resourcePolicy } from "../lib/define";
import { asArray, asRecord, asString, at } from "../lib/props";

const INGRESS = /^kubernetes:(networking\.k8s\.io|extensions)\/[^:]+:Ingress$/;

/**
 * Hosts a TLS entry of an Ingress covers: only entries that name a Secret.
 * An entry without a host covers nothing the policy can prove; a wildcard
 * entry covers the hosts one label below it.
 */
function covered(tls: unknown): (host: string) => boolean {
  const entries = asArray(tls)
    .map(asRecord)
    .filter((t) => (asString(t.secretName) ?? "") !== "");
  const hosts = entries.flatMap((t) => asArray(t.hosts).map((h) => String(h)));
  return (host) => hosts.some((h) => h === host || (h.startsWith("*.") && host.endsWith(h.slice(1)) && !host.slice(0, -h.length + 1).includes(".")));
}

export const ingressesMustHaveTls = resourcePolicy({
  name: "ingresses-must-have-tls",
  area: "kubernetes-hardening",
  description:
    "Every Ingress serves each of its hosts over TLS only: a TLS entry with a Secret covers every host of its rules, no rule or default backend serves without a host (which no certificate can cover), and no annotation turns the controller's HTTP-to-HTTPS redirect off. The pipeline's tests and the API key travel over these endpoints.",
  remediation: "keep ingress.tls in the stack config (the Ingress component adds tls for its host), or add a tls entry with hosts and secretName to the Ingress; remove a default backend and any annotation that turns the HTTPS redirect off",
  validate: (args, report) => {
    if (!INGRESS.test(args.type)) return;
    const name = `${asString(at(args.props, "metadata", "namespace")) ?? "(no namespace)"}/${String(at(args.props, "metadata", "name"))}`;
    const isCovered = covered(at(args.props, "spec", "tls"));
    const rules = asArray(at(args.props, "spec", "rules")).map(asRecord);
    // A default backend answers every host the rules do not name, beside the rules too.
    // networking.k8s.io/v1 calls it defaultBackend; v1beta1 and extensions, backend.
    if ((at(args.props, "spec", "defaultBackend") ?? at(args.props, "spec", "backend")) !== undefined) report(`Ingress ${name} serves every other host through its default backend, which no TLS entry can cover`);
    for (const [annotation, value] of Object.entries(asRecord(at(args.props, "metadata", "annotations")))) {
      const plain = plainHttpAnnotation(annotation, value);
      if (plain) report(`Ingress ${name} has ${annotation}: "${String(value)}", which makes ${plain.controller} serve its hosts over plain HTTP beside TLS`);
    }
    for (const rule of rules) {
      const host = asString(rule.host);
      if (host === undefined || host === "") report(`Ingress ${name} has a rule without a host, which no TLS entry can cover`);
      else if (!isCovered(host)) report(`Ingress ${name} serves ${host} without TLS: no tls entry with a secretName lists it`);
    }
  },
});
