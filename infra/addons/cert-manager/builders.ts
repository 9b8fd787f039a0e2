import type { INamespace } from "kubernetes-models/v1/Namespace";
import { addonNamespace } from "../../catalogue/addons";
import { PART_OF_PLATFORM_LABELS } from "../../catalogue/labels";
import type { AcmeIssuerSpec } from "./spec";

/** The Helm release name: fixed, since Helm keys the installed release (and its CRDs) by it. */
export const CERT_MANAGER_RELEASE = "cert-manager";

/**
 * The add-on's namespace. Pod Security `restricted` holds: the pinned chart's
 * controller, webhook, cainjector and startupapicheck run non-root, drop all
 * capabilities and use the RuntimeDefault seccomp profile.
 */
export function buildCertManagerNamespace(namespace: string): INamespace {
  return addonNamespace(namespace, { enforce: "restricted", warn: "restricted", audit: "restricted" }, PART_OF_PLATFORM_LABELS);
}

/**
 * Chart values, stated even where they match the chart's defaults, so a chart
 * bump cannot change them unseen.
 */
export function certManagerValues(namespace: string) {
  return {
    // The chart installs its CRDs (Certificate, ClusterIssuer, ...) and keeps them on
    // uninstall: deleting the CRDs would delete every certificate and issuer.
    crds: { enabled: true, keep: true },
    // Leader election's Lease in the add-on's own namespace, not kube-system (the chart's default).
    global: { leaderElection: { namespace } },
  };
}

/** A cert-manager ClusterIssuer: its CRD ships with the chart; kubernetes-models has no type for it. */
export interface ClusterIssuer {
  readonly apiVersion: "cert-manager.io/v1";
  readonly kind: "ClusterIssuer";
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly acme: {
      readonly email: string;
      readonly server: string;
      readonly privateKeySecretRef: { readonly name: string };
      readonly solvers: readonly { readonly http01: { readonly ingress: { readonly ingressClassName: string } } }[];
    };
  };
}

/**
 * The ACME ClusterIssuer. Its account key lives in a Secret cert-manager
 * creates in its own namespace; the HTTP-01 solver is served by the
 * controller of `ingressClassName`, which routes the challenge path to the
 * solver pod cert-manager starts beside the Ingress.
 */
export function buildClusterIssuer(acme: AcmeIssuerSpec): ClusterIssuer {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: acme.issuerName, labels: { ...PART_OF_PLATFORM_LABELS } },
    spec: {
      acme: {
        email: acme.email,
        server: acme.server,
        privateKeySecretRef: { name: `${acme.issuerName}-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName: acme.ingressClassName } } }],
      },
    },
  };
}
