import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { asArgs } from "../catalogue/k8sArgs";
import { KUBE_PROMETHEUS_RELEASE, componentType } from "../catalogue/names";
import { CHARTS } from "../catalogue/versions";
import { DEFAULT_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from "../catalogue/grafana";
import { PUSHGATEWAY_SERVICE } from "../catalogue/pushgateway";

/** Helm values: plain JSON. */
export type HelmValue = string | number | boolean | null | HelmValue[] | { [key: string]: HelmValue };
export type HelmValues = { [key: string]: HelmValue };


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

/** Where Grafana's admin login lives; the component generates the password. */
export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;

/** An add-on namespace with the Pod Security levels its charts' pods can meet. */
function addonNamespace(name: string, podSecurity: Readonly<Record<"enforce" | "warn" | "audit", string | undefined>>): INamespace {
  const levels = Object.fromEntries(
    Object.entries(podSecurity)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([mode, level]) => [`pod-security.kubernetes.io/${mode}`, level]),
  );
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "app.kubernetes.io/managed-by": "pulumi", ...levels } } };
}

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
  /** Grafana's generated admin password (a secret). */
  readonly grafanaAdminPassword: pulumi.Output<string>;
  /** What custom resources of the operator's kinds must wait for. */
  readonly crdDependencies: pulumi.Resource[];
  readonly pushgateway?: {
    readonly namespace: k8s.core.v1.Namespace;
    readonly namespaceName: string;
    readonly release: k8s.helm.v3.Release;
  };

  constructor(name: string, args: KubePrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("addons", "KubePrometheusStack"), name, {}, opts);
    const namespaceName = args.namespace ?? "monitoring";
    const releaseName = args.releaseName ?? KUBE_PROMETHEUS_RELEASE;
    const protect = args.protect ?? false;
    const child = { parent: this, provider: args.provider, protect };

    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, asArgs<k8s.core.v1.NamespaceArgs>(buildMonitoringNamespace(namespaceName)), child);
    const inNamespace = { ...child, dependsOn: [this.namespace] };

    // Read it with: pulumi stack output --show-secrets grafanaAdminPassword (or from the Secret).
    const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
    // Secret here, not only by the provider's schema: every use stays secret even before the engine marks it.
    this.grafanaAdminPassword = pulumi.secret(password.result);
    const adminSecret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET.name, namespace: namespaceName },
        stringData: { [GRAFANA_ADMIN_SECRET.userKey]: "admin", [GRAFANA_ADMIN_SECRET.passwordKey]: this.grafanaAdminPassword },
      },
      { ...inNamespace, additionalSecretOutputs: ["data", "stringData"] },
    );

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
      { ...inNamespace, dependsOn: [this.namespace, adminSecret] },
    );

    if (args.pushgateway?.install) {
      const pg = CHARTS.pushgateway;
      const pgNamespaceName = args.pushgateway.namespace ?? "pushgateway";
      const pgNamespace = new k8s.core.v1.Namespace(`${name}-pushgateway-namespace`, asArgs<k8s.core.v1.NamespaceArgs>(buildPushgatewayNamespace(pgNamespaceName)), child);
      const release = new k8s.helm.v3.Release(
        `${name}-pushgateway`,
        {
          name: PUSHGATEWAY_SERVICE.name,
          namespace: pgNamespaceName,
          chart: pg.chart,
          version: pg.version,
          repositoryOpts: { repo: pg.repo },
          values: pushgatewayValues(args.pushgateway.storageSize),
          cleanupOnFail: true,
          maxHistory: 5,
        },
        { ...child, dependsOn: [pgNamespace] },
      );
      this.pushgateway = { namespace: pgNamespace, namespaceName: pgNamespaceName, release };
    }

    this.namespaceName = namespaceName;
    this.selectorLabels = releaseSelector(releaseName);
    this.crdDependencies = [this.release];
    this.registerOutputs({ namespaceName, releaseName, selectorLabels: this.selectorLabels });
  }
}
