import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What the Loki add-on needs to know; a projection of the stack config's
 * `addons.loki`, checked and resolved at the config edge (retention is whole
 * days of at least one, the size a Kubernetes quantity). The release name,
 * Service, pod labels and datasource uid are catalogue facts
 * (infra/catalogue/logs.ts): the shipper and the dashboards depend on them.
 */
export interface LokiArgs {
  /** The cluster to install into. */
  readonly provider: k8s.Provider;
  /** The namespace to create and install into (`loki`). */
  readonly namespace: string;
  /** How long logs are kept: `limits_config.retention_period`, enforced by the compactor. */
  readonly retention: string;
  /** The PersistentVolumeClaim of the single binary's filesystem storage. */
  readonly storageSize: string;
  /** The only namespace whose shipper pods may push logs (`addons.logShipper.namespace`). */
  readonly shipperNamespace: string;
  /**
   * Grafana's namespace (`addons.kubePrometheusStack.namespace`): its Grafana
   * pods may query Loki, and the datasource ConfigMap goes there, where the
   * datasource sidecar looks for it.
   */
  readonly grafanaNamespace: string;
  /** The label Grafana's datasource sidecar loads ConfigMaps by (catalogue: `DEFAULT_DATASOURCE_LABEL`). */
  readonly datasourceLabel: { readonly name: string; readonly value: string };
  /** What creates Grafana's namespace, when this stack does: the datasource ConfigMap waits for it. */
  readonly grafanaDependsOn: readonly pulumi.Resource[];
}
