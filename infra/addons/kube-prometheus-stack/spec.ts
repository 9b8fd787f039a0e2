import type * as k8s from "@pulumi/kubernetes";

export interface KubePrometheusStackArgs {
  /** The cluster to install into. */
  readonly provider: k8s.Provider;
  /** The namespace to create and install into. Default: `monitoring`. */
  readonly namespace?: string;
  /**
   * The Helm release name; the operator selects rules, monitors and
   * Alertmanager configs labelled `release: <this>`. Default: `kube-prometheus-stack`.
   */
  readonly releaseName?: string;
  /** The label the Grafana sidecar loads dashboards from. Default: `grafana_dashboard: "1"`. */
  readonly dashboardLabel?: { readonly name: string; readonly value: string };
  /**
   * Also install a Pushgateway, for pipeline jobs to push the DORA metrics to,
   * as the Service `PUSHGATEWAY_SERVICE` (the name and port each environment's
   * ServiceMonitor looks for). Default: not installed.
   */
  readonly pushgateway?: {
    readonly install: boolean;
    /**
     * Its own namespace, created here. Not the monitoring namespace: pipelines
     * reach the Pushgateway by port-forward, which RBAC cannot pin to one pod,
     * so its namespace must hold nothing else (Alertmanager's API there is
     * unauthenticated). Default `pushgateway`.
     */
    readonly namespace?: string;
    /**
     * A volume for the pushed groups (`--persistence.file`), so a restart of
     * the Pushgateway keeps every run's DORA numbers. Default: none, in memory.
     */
    readonly storageSize?: string;
  };
  /** `protect` the namespace and the release. Default: false. */
  readonly protect?: boolean;
}
