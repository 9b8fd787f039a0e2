/*
 * The contract between the dashboards' ConfigMaps and kube-prometheus-stack's
 * Grafana sidecar: the add-on configures the sidecar with these, the
 * observability slice labels and annotates its ConfigMaps with them.
 */

/** The label the sidecar loads dashboards from (kube-prometheus-stack's default). */
export const DEFAULT_DASHBOARD_LABEL = { name: "grafana_dashboard", value: "1" } as const;

/** The annotation the sidecar reads a dashboard's folder from. */
export const GRAFANA_FOLDER_ANNOTATION = "grafana_folder";

/** The label the sidecar loads datasources from (kube-prometheus-stack's default), in Grafana's own namespace. */
export const DEFAULT_DATASOURCE_LABEL = { name: "grafana_datasource", value: "1" } as const;

/** The labels kube-prometheus-stack's Grafana pods carry: what Loki's NetworkPolicy admits to query it. */
export const GRAFANA_POD_LABELS = { "app.kubernetes.io/name": "grafana" } as const;
