import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../../catalogue/k8s-args";
import { KUBE_PROMETHEUS_RELEASE, componentType } from "../../catalogue/names";
import { pinnedChart } from "../../catalogue/versions";
import { DEFAULT_DASHBOARD_LABEL, DEFAULT_DATASOURCE_LABEL } from "../../catalogue/grafana";
import { PUSHGATEWAY_SERVICE } from "../../catalogue/pushgateway";
import {
  GRAFANA_ADMIN_SECRET,
  buildMonitoringNamespace,
  buildPushgatewayNamespace,
  kubePrometheusStackValues,
  pushgatewayValues,
  releaseSelector,
} from "./builders";
import type { KubePrometheusStackArgs } from "./spec";

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
    const namespaceName = args.namespace;
    const releaseName = KUBE_PROMETHEUS_RELEASE;
    const child = { parent: this, provider: args.provider, protect: args.protect };

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

    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        // A fixed name: the Prometheus selectors and every `release` label depend on it.
        name: releaseName,
        namespace: namespaceName,
        ...pinnedChart("kubePrometheusStack"),
        values: kubePrometheusStackValues({ releaseName, dashboardLabel: DEFAULT_DASHBOARD_LABEL, datasourceLabel: DEFAULT_DATASOURCE_LABEL }),
        cleanupOnFail: true,
        maxHistory: 5,
        // The stack starts several workloads and admission webhooks; Helm's 5 minutes is tight on a fresh cluster.
        timeout: 900,
      },
      { ...inNamespace, dependsOn: [this.namespace, adminSecret] },
    );

    if (args.pushgateway.install) {
      const pgNamespaceName = args.pushgateway.namespace;
      const pgNamespace = new k8s.core.v1.Namespace(`${name}-pushgateway-namespace`, asArgs<k8s.core.v1.NamespaceArgs>(buildPushgatewayNamespace(pgNamespaceName)), child);
      const release = new k8s.helm.v3.Release(
        `${name}-pushgateway`,
        {
          name: PUSHGATEWAY_SERVICE.name,
          namespace: pgNamespaceName,
          ...pinnedChart("pushgateway"),
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
