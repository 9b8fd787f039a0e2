import type { INamespace } from "kubernetes-models/v1/Namespace";
import { HelmValues, addonNamespace } from "../../catalogue/addons";
import { GRAFANA_FOLDER_ANNOTATION } from "../../catalogue/grafana";
import { PUSHGATEWAY_SERVICE } from "../../catalogue/pushgateway";

/** Where Grafana's admin login lives; the component generates the password. */
export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;

/**
 * The Pushgateway's namespace: its chart's pod runs as non-root with no
 * extra privileges, so Pod Security `restricted` is warned and audited, and
 * `baseline` enforced in case a chart bump drops a securityContext field.
 */
export function buildPushgatewayNamespace(name: string): INamespace {
  return addonNamespace(name, { enforce: "baseline", warn: "restricted", audit: "restricted" });
}

/**
 * The monitoring namespace. node-exporter needs the host's network, PID
 * namespace and filesystem, which only the `privileged` Pod Security level
 * admits; the label says so explicitly rather than relying on a cluster default.
 */
export function buildMonitoringNamespace(name: string): INamespace {
  return addonNamespace(name, { enforce: "privileged", warn: "baseline", audit: undefined });
}

/** The label set the operator selects this release's objects by. */
export function releaseSelector(releaseName: string): Record<string, string> {
  return { release: releaseName };
}

/**
 * kube-prometheus-stack values. Prometheus and Alertmanager pick up rules,
 * PodMonitors, ServiceMonitors and AlertmanagerConfigs from every namespace,
 * but only those labelled with this release, so another team's objects in the
 * cluster do not reach our Prometheus by accident. AlertmanagerConfigs keep the
 * operator's OnNamespace strategy: a config only routes alerts labelled with
 * its own namespace, so one environment cannot capture another's alerts (the
 * platform's alerts carry their namespace label for that). Grafana's sidecar
 * loads dashboards from every namespace and files them by annotation.
 */
export function kubePrometheusStackValues(o: {
  readonly releaseName: string;
  readonly dashboardLabel: { readonly name: string; readonly value: string };
  readonly datasourceLabel: { readonly name: string; readonly value: string };
}): HelmValues {
  const byRelease = { matchLabels: releaseSelector(o.releaseName) };
  const allNamespaces = {};
  return {
    prometheus: {
      prometheusSpec: {
        ruleSelectorNilUsesHelmValues: false,
        ruleSelector: byRelease,
        ruleNamespaceSelector: allNamespaces,
        podMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelector: byRelease,
        podMonitorNamespaceSelector: allNamespaces,
        serviceMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: byRelease,
        serviceMonitorNamespaceSelector: allNamespaces,
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        alertmanagerConfigSelector: byRelease,
        alertmanagerConfigNamespaceSelector: allNamespaces,
        alertmanagerConfigMatcherStrategy: { type: "OnNamespace" },
      },
    },
    grafana: {
      // Never the chart's well-known default password: a generated one, from a Secret.
      admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
      sidecar: {
        dashboards: {
          enabled: true,
          label: o.dashboardLabel.name,
          labelValue: o.dashboardLabel.value,
          searchNamespace: "ALL",
          folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
          // The folder annotation only takes effect when folders come from the file layout.
          provider: { foldersFromFilesStructure: true },
        },
        // Datasources (Loki's) from labelled ConfigMaps in Grafana's own namespace only: a
        // datasource decides where Grafana sends queries, so no other namespace may add one.
        datasources: { enabled: true, label: o.datasourceLabel.name, labelValue: o.datasourceLabel.value },
      },
    },
  };
}

/**
 * Pushgateway values: the fixed Service `PUSHGATEWAY_SERVICE`, so each
 * environment's ServiceMonitor can find it; the chart's own ServiceMonitor
 * stays off because each environment scrapes only its own pushed series.
 */
export function pushgatewayValues(storageSize?: string): HelmValues {
  return {
    fullnameOverride: PUSHGATEWAY_SERVICE.name,
    service: { port: PUSHGATEWAY_SERVICE.port.number, portName: PUSHGATEWAY_SERVICE.port.name },
    serviceMonitor: { enabled: false },
    // The chart then passes --persistence.file on the volume; one writer, so
    // the old pod must be gone before the new one mounts it.
    ...(storageSize === undefined ? {} : { persistentVolume: { enabled: true, size: storageSize }, strategy: { type: "Recreate" } }),
  };
}
