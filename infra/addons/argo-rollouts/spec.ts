import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

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
