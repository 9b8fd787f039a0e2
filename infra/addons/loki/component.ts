import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../../catalogue/k8s-args";
import { LOKI_RELEASE } from "../../catalogue/logs";
import { componentType } from "../../catalogue/names";
import { pinnedChart } from "../../catalogue/versions";
import { buildLokiDatasource, buildLokiNamespace, buildLokiNetworkPolicies, lokiValues } from "./builders";
import type { LokiArgs } from "./spec";

/**
 * Loki (single binary, pinned in the catalogue) in its own namespace, the
 * NetworkPolicies that admit only the shipper and Grafana, and Grafana's
 * Loki datasource.
 */
export class Loki extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LokiArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("addons", "Loki"), name, {}, opts);
    const child = { parent: this, provider: args.provider };

    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, asArgs<k8s.core.v1.NamespaceArgs>(buildLokiNamespace(args.namespace)), child);
    const inNamespace = { ...child, dependsOn: [this.namespace] };
    // The policies first: Loki never runs a moment unguarded.
    const policies = buildLokiNetworkPolicies(args).map(
      (p) => new k8s.networking.v1.NetworkPolicy(`${name}-${p.metadata?.name}`, asArgs<k8s.networking.v1.NetworkPolicyArgs>(p), inNamespace),
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        // A fixed name: the chart names the Service the shipper and Grafana reach after it.
        name: LOKI_RELEASE,
        namespace: args.namespace,
        ...pinnedChart("loki"),
        values: lokiValues(args),
        cleanupOnFail: true,
        maxHistory: 5,
      },
      { ...child, dependsOn: [this.namespace, ...policies] },
    );
    new k8s.core.v1.ConfigMap(`${name}-datasource`, asArgs<k8s.core.v1.ConfigMapArgs>(buildLokiDatasource(args)), {
      ...child,
      dependsOn: [...args.grafanaDependsOn],
    });
    this.registerOutputs({ namespace: args.namespace, releaseName: LOKI_RELEASE });
  }
}
