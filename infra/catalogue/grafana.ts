/*
 * The contract between the dashboards' ConfigMaps and kube-prometheus-stack's
 * Grafana sidecar: the add-on configures the sidecar with these, the
 * observability slice labels and annotates its ConfigMaps with them.
 */

/** The label the sidecar loads dashboards from (kube-prometheus-stack's default). */
export const DEFAULT_DASHBOARD_LABEL = { name: "grafana_dashboard", value: "1" } as const;

/** The annotation the sidecar reads a dashboard's folder from. */
export const GRAFANA_FOLDER_ANNOTATION = "grafana_folder";
