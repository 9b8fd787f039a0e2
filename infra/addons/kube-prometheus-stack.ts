import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { asArgs } from "../catalogue/k8sArgs";
import { componentType } from "../catalogue/names";
import { CHARTS } from "../catalogue/versions";
import { DEFAULT_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from "../observability/grafanaSidecar";

/** Helm values: plain JSON. */
export type HelmValue = string | number | boolean | null | HelmValue[] | { [key: string]: HelmValue };
export type HelmValues = { [key: string]: HelmValue };

export const DEFAULT_RELEASE_NAME = "kube-prometheus-stack";
/** The prometheus-pushgateway chart's Service port: named `http`, 9091. */
export const PUSHGATEWAY_PORT = { name: "http", number: 9091 } as const;

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
   * Also install a Pushgateway, for pipeline jobs to push the DORA metrics to.
   * Default: not installed.
   */
  readonly pushgateway?: { readonly install: boolean; readonly serviceName?: string };
  /** `protect` the namespace and the release. Default: false. */
  readonly protect?: boolean;
}

/**
 * The monitoring namespace. node-exporter needs the host's network, PID
 * namespace and filesystem, which only the `privileged` Pod Security level
 * admits; the label says so explicitly rather than relying on a cluster default.
 */
export function buildMonitoringNamespace(name: string): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        "app.kubernetes.io/managed-by": "pulumi",
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/warn": "baseline",
      },
    },
  };
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
      },
    },
  };
}

/**
 * Pushgateway values: a fixed Service name, so each environment's
 * ServiceMonitor can find it; the chart's own ServiceMonitor stays off because
 * each environment scrapes only its own pushed series.
 */
export function pushgatewayValues(serviceName: string): HelmValues {
  return {
    fullnameOverride: serviceName,
    service: { port: PUSHGATEWAY_PORT.number, portName: PUSHGATEWAY_PORT.name },
    serviceMonitor: { enabled: false },
  };
}

/**
 * kube-prometheus-stack (Prometheus operator and its CRDs, Prometheus,
 * Alertmanager, Grafana), pinned in the catalogue, and optionally a
 * Pushgateway. Custom resources of the operator's kinds depend on `release`.
 */
export class KubePrometheusStack extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly namespaceName: string;
  readonly release: k8s.helm.v3.Release;
  /** Labels for rules, monitors and Alertmanager configs this Prometheus should load. */
  readonly selectorLabels: Record<string, string>;
  /** What custom resources of the operator's kinds must wait for. */
  readonly crdDependencies: pulumi.Resource[];
  readonly pushgateway?: { readonly namespace: string; readonly serviceName: string; readonly portName: string; readonly release: k8s.helm.v3.Release };

  constructor(name: string, args: KubePrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("addons", "KubePrometheusStack"), name, {}, opts);
    const namespaceName = args.namespace ?? "monitoring";
    const releaseName = args.releaseName ?? DEFAULT_RELEASE_NAME;
    const protect = args.protect ?? false;
    const child = { parent: this, provider: args.provider, protect };

    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, asArgs<k8s.core.v1.NamespaceArgs>(buildMonitoringNamespace(namespaceName)), child);
    const inNamespace = { ...child, dependsOn: [this.namespace] };

    const chart = CHARTS.kubePrometheusStack;
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        // A fixed name: the Prometheus selectors and every `release` label depend on it.
        name: releaseName,
        namespace: namespaceName,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        values: kubePrometheusStackValues({ releaseName, dashboardLabel: args.dashboardLabel ?? DEFAULT_DASHBOARD_LABEL }),
        cleanupOnFail: true,
        maxHistory: 5,
        // The stack starts several workloads and admission webhooks; Helm's 5 minutes is tight on a fresh cluster.
        timeout: 900,
      },
      inNamespace,
    );

    if (args.pushgateway?.install) {
      const serviceName = args.pushgateway.serviceName ?? "pushgateway";
      const pg = CHARTS.pushgateway;
      const release = new k8s.helm.v3.Release(
        `${name}-pushgateway`,
        {
          name: serviceName,
          namespace: namespaceName,
          chart: pg.chart,
          version: pg.version,
          repositoryOpts: { repo: pg.repo },
          values: pushgatewayValues(serviceName),
          cleanupOnFail: true,
          maxHistory: 5,
        },
        inNamespace,
      );
      this.pushgateway = { namespace: namespaceName, serviceName, portName: PUSHGATEWAY_PORT.name, release };
    }

    this.namespaceName = namespaceName;
    this.selectorLabels = releaseSelector(releaseName);
    this.crdDependencies = [this.release];
    this.registerOutputs({ namespaceName, releaseName, selectorLabels: this.selectorLabels });
  }
}
