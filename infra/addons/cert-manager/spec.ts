import type * as k8s from "@pulumi/kubernetes";

/** An ACME ClusterIssuer (Let's Encrypt) that answers HTTP-01 challenges through an ingress class. */
export interface AcmeIssuerSpec {
  /** The ClusterIssuer's name, which Ingresses name in their cert-manager.io/cluster-issuer annotation. */
  readonly issuerName: string;
  /** The ACME account's email. */
  readonly email: string;
  /** The ACME directory URL. */
  readonly server: string;
  /** The IngressClass whose controller serves the challenge path. */
  readonly ingressClassName: string;
}

/**
 * What the add-on needs; a projection of `addons.certManager` (and, for the
 * issuer's solver, `ingress.className`), checked at the config edge.
 */
export interface CertManagerArgs {
  /** The cluster to install into. */
  readonly provider: k8s.Provider;
  /** The namespace to create and install into (`cert-manager`). */
  readonly namespace: string;
  /** The ACME ClusterIssuer to create once the CRDs are there; default none. */
  readonly acme?: AcmeIssuerSpec;
}
