import type * as k8s from "@pulumi/kubernetes";

/**
 * What the add-on needs to know; a projection of the stack config's
 * `addons.kubePrometheusStack` and `addons.pushgateway`, checked and
 * resolved at the config edge. The release name and the Grafana dashboard
 * label are catalogue facts (`KUBE_PROMETHEUS_RELEASE`,
 * `DEFAULT_DASHBOARD_LABEL`): the environments' rules and dashboards are
 * selected by them, so they are not the caller's to change.
 */
export interface KubePrometheusStackArgs {
  /** The cluster to install into. */
  readonly provider: k8s.Provider;
  /** The namespace to create and install into (`monitoring`). */
  readonly namespace: string;
  /**
   * Whether to install a Pushgateway too, for pipeline jobs to push the DORA
   * metrics to, as the Service `PUSHGATEWAY_SERVICE` (the name and port each
   * environment's ServiceMonitor looks for).
   */
  readonly pushgateway: {
    readonly install: boolean;
    /**
     * Its own namespace, created here (`pushgateway`). Not the monitoring
     * namespace: pipelines reach the Pushgateway by port-forward, which RBAC
     * cannot pin to one pod, so its namespace must hold nothing else
     * (Alertmanager's API there is unauthenticated).
     */
    readonly namespace: string;
    /** A volume for the pushed groups (`--persistence.file`), so a restart of the Pushgateway keeps every run's DORA numbers. */
    readonly storageSize: string;
  };
  /** `protect` the namespace and the release. */
  readonly protect: boolean;
}
