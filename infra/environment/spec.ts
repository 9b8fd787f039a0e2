import type * as k8s from "@pulumi/kubernetes";

/** What the environment slice needs to know; a projection of the resolved stack config, checked at its edge. */
export interface EnvironmentSpec {
  readonly environment: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly quota: {
    readonly requestsCpu: string;
    readonly requestsMemory: string;
    readonly limitsCpu: string;
    readonly limitsMemory: string;
    readonly pods: number;
    readonly services: number;
    readonly persistentVolumeClaims: number;
  };
  readonly containerDefaults: {
    readonly request: { readonly cpu: string; readonly memory: string };
    readonly limit: { readonly cpu: string; readonly memory: string };
    readonly max: { readonly cpu: string; readonly memory: string };
  };
  readonly network: {
    /**
     * The environment's Ingress, as the NetworkPolicies see it: the ingress
     * controller's namespace (any pod there may reach the services' ports),
     * and whether cert-manager answers ACME HTTP-01 challenges in this
     * namespace (the Ingress has a cluster issuer), which the controller must
     * reach too. Undefined without an Ingress: no controller is admitted.
     */
    readonly ingress?: { readonly controllerNamespace: string; readonly acmeHttp01Solver: boolean };
    /** Where Prometheus runs (the kube-prometheus-stack add-on's namespace). */
    readonly monitoringNamespace: string;
    readonly allowHttpsEgress: boolean;
    readonly allowExternalServices: boolean;
  };
  /** Container ports of the services in the namespace: what ingress and scraping may reach. */
  readonly servicePorts: readonly number[];
}

export interface EnvironmentArgs {
  readonly spec: EnvironmentSpec;
  /** The cluster to create the namespace in. */
  readonly provider: k8s.Provider;
  /**
   * `protect` the Namespace: a delete or a replacement (a rename) then fails
   * instead of deleting everything inside it.
   */
  readonly protect: boolean;
}
