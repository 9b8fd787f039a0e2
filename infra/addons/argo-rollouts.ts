import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { APP, componentType } from "../catalogue/names";
import { CHARTS } from "../catalogue/versions";

export interface ArgoRolloutsArgs {
  /** The controller's own namespace (`argo-rollouts`), created here. */
  readonly namespace: string;
  /** The cluster to install into. */
  readonly provider: k8s.Provider;
  /** Extra labels on the namespace; default none. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The Prometheus operator that should scrape the controller (its canary and
   * analysis metrics feed the service dashboard): the labels its
   * ServiceMonitor selector wants, and what installs the ServiceMonitor CRD.
   * Default: no ServiceMonitor, for clusters without the operator.
   */
  readonly monitoring?: { readonly selectorLabels: Readonly<Record<string, string>>; readonly crdDependencies: readonly pulumi.Resource[] };
}

/** The Helm release name: fixed, since Helm keys the installed release (and its CRDs) by it. */
export const ARGO_ROLLOUTS_RELEASE = "argo-rollouts";

/**
 * The controller namespace. Pod Security `restricted` holds there too: the
 * pinned chart's controller runs non-root, drops all capabilities and uses the
 * RuntimeDefault seccomp profile.
 */
export function buildArgoRolloutsNamespace(args: Pick<ArgoRolloutsArgs, "namespace" | "labels">): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: args.namespace,
      labels: {
        ...args.labels,
        "app.kubernetes.io/part-of": APP,
        "app.kubernetes.io/managed-by": "pulumi",
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
    },
  };
}

/**
 * Chart values, stated even where they match the chart's defaults, so a chart
 * bump cannot change them unseen.
 */
export function argoRolloutsValues(monitoring?: { readonly selectorLabels: Readonly<Record<string, string>> }) {
  return {
    ...(monitoring
      ? { controller: { replicas: 2, metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...monitoring.selectorLabels } } } } }
      : {}),
    installCRDs: true,
    // Helm keeps the CRDs on uninstall: deleting a CRD deletes every Rollout,
    // and with them every service's pods.
    keepCRDs: true,
    // Two replicas with leader election: a controller restart never freezes a canary midway.
    ...(monitoring ? {} : { controller: { replicas: 2 } }),
    // The pipeline and operators use the kubectl plugin; an unauthenticated UI is not exposed.
    dashboard: { enabled: false },
  };
}

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
    const chart = CHARTS.argoRollouts;

    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, buildArgoRolloutsNamespace(args), child);
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: ARGO_ROLLOUTS_RELEASE,
        namespace: this.namespace.metadata.name,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        values: argoRolloutsValues(args.monitoring),
      },
      // Its ServiceMonitor needs the operator's CRD first.
      { ...child, dependsOn: [...(args.monitoring?.crdDependencies ?? [])] },
    );
    this.registerOutputs({ namespace: this.namespace.metadata.name, releaseName: this.release.name });
  }
}
