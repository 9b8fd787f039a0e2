import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { componentType } from "../../catalogue/names";
import { pinnedChart } from "../../catalogue/versions";
import { ARGO_ROLLOUTS_RELEASE, argoRolloutsValues, buildArgoRolloutsNamespace } from "./builders";
import type { ArgoRolloutsArgs } from "./spec";

/**
 * The Argo Rollouts controller and its CRDs, pinned by the catalogue. Rollouts
 * and AnalysisTemplates depend on `release`: Helm installs the CRDs with it and
 * the release waits until its resources are ready.
 */
export class ArgoRollouts extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ArgoRolloutsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("addons", "ArgoRollouts"), name, {}, opts);
    const child = { parent: this, provider: args.provider };

    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, buildArgoRolloutsNamespace(args), child);
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: ARGO_ROLLOUTS_RELEASE,
        namespace: this.namespace.metadata.name,
        ...pinnedChart("argoRollouts"),
        values: argoRolloutsValues(args.monitoring),
      },
      // Its ServiceMonitor needs the operator's CRD first.
      { ...child, dependsOn: [...(args.monitoring?.crdDependencies ?? [])] },
    );
    this.registerOutputs({ namespace: this.namespace.metadata.name, releaseName: this.release.name });
  }
}
