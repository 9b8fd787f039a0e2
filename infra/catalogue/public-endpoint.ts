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
