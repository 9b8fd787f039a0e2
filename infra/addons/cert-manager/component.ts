import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../../catalogue/k8s-args";
import { componentType } from "../../catalogue/names";
import { pinnedChart } from "../../catalogue/versions";
import { CERT_MANAGER_RELEASE, buildCertManagerNamespace, buildClusterIssuer, certManagerValues } from "./builders";
import type { CertManagerArgs } from "./spec";

/**
 * cert-manager and its CRDs, pinned by the catalogue, and optionally an ACME
 * ClusterIssuer. The issuer is a custom resource of the chart's CRD, so it
 * depends on the release ("no matches for kind" otherwise); the release waits
 * until the webhook that validates issuers is ready.
 */
export class CertManager extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly release: k8s.helm.v3.Release;
  /** The ACME ClusterIssuer, where one was asked for. */
  readonly clusterIssuer?: k8s.apiextensions.CustomResource;

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("addons", "CertManager"), name, {}, opts);
    const child = { parent: this, provider: args.provider };

    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, asArgs<k8s.core.v1.NamespaceArgs>(buildCertManagerNamespace(args.namespace)), child);
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: CERT_MANAGER_RELEASE,
        namespace: this.namespace.metadata.name,
        ...pinnedChart("certManager"),
        values: certManagerValues(args.namespace),
        cleanupOnFail: true,
        maxHistory: 5,
      },
      child,
    );
    if (args.acme !== undefined) {
      this.clusterIssuer = new k8s.apiextensions.CustomResource(`${name}-cluster-issuer`, asArgs<k8s.apiextensions.CustomResourceArgs>(buildClusterIssuer(args.acme)), {
        ...child,
        dependsOn: [this.release],
      });
    }
    this.registerOutputs({ namespace: this.namespace.metadata.name, releaseName: this.release.name });
  }
}
