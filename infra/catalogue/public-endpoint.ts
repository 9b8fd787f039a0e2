import { APP } from "./names";

/*
 * Facts of the public endpoint that more than one concern reads: the Ingress
 * (its name), the environment's NetworkPolicies (who may reach the ACME
 * solver) and the cert-manager add-on (the ClusterIssuer's solver).
 */

/** The environment's one Ingress: one per namespace, so the application's name is unique enough. */
export const INGRESS_NAME = APP;

/** The annotation cert-manager's ingress-shim reads to issue an Ingress's certificate from a ClusterIssuer. */
export const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";

/**
 * cert-manager's ACME HTTP-01 solver: a pod it starts in the Ingress's own
 * namespace for each challenge, labelled so and listening on this port. The
 * namespace's default-deny would drop the ingress controller's request to it,
 * and no certificate would ever be issued.
 */
export const ACME_HTTP01_SOLVER = { podLabels: { "acme.cert-manager.io/http01-solver": "true" }, port: 8089 } as const;

/** Let's Encrypt's production ACME directory: certificates every client trusts (its staging directory's are trusted by none). */
export const LETS_ENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory";

/** The ingress controller's namespace when `ingress.controllerNamespace` is not set: ingress-nginx's chart default. */
export const DEFAULT_INGRESS_CONTROLLER_NAMESPACE = "ingress-nginx";

/**
 * Ingress annotations that make a controller serve plain HTTP beside TLS: the
 * stack config refuses them and the policy pack fails an Ingress carrying
 * them. ingress-nginx redirects HTTP to HTTPS for a TLS host unless told not
 * to. A data table: another controller's switch is one more row.
 */
export const PLAIN_HTTP_ANNOTATIONS: readonly { readonly annotation: string; readonly values: readonly string[]; readonly controller: string }[] = [
  // ingress-nginx reads it with Go's strconv.ParseBool: each of these is false.
  { annotation: "nginx.ingress.kubernetes.io/ssl-redirect", values: ["false", "0", "f"], controller: "ingress-nginx" },
];

/** The table's row an annotation and value match, if any (values compared lower-cased and trimmed). */
export function plainHttpAnnotation(annotation: string, value: unknown) {
  return PLAIN_HTTP_ANNOTATIONS.find((a) => a.annotation === annotation && a.values.includes(String(value).trim().toLowerCase()));
}
