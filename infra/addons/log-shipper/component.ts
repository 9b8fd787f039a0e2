import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../../catalogue/k8s-args";
import { LOG_SHIPPER_RELEASE } from "../../catalogue/logs";
import { componentType } from "../../catalogue/names";
import { pinnedChart } from "../../catalogue/versions";
import { buildLogShipperNamespace, buildLogShipperNetworkPolicies, logShipperValues } from "./builders";
import type { LogShipperArgs } from "./spec";

/**
 * Grafana Alloy (pinned in the catalogue) as a DaemonSet that ships the
 * environment's pod logs to Loki, in a namespace nothing may reach.
 */
export class LogShipper extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LogShipperArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("addons", "LogShipper"), name, {}, opts);
    const child = { parent: this, provider: args.provider };

    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, asArgs<k8s.core.v1.NamespaceArgs>(buildLogShipperNamespace(args.namespace)), child);
    const policies = buildLogShipperNetworkPolicies(args.namespace).map(
      (p) => new k8s.networking.v1.NetworkPolicy(`${name}-${p.metadata?.name}`, asArgs<k8s.networking.v1.NetworkPolicyArgs>(p), { ...child, dependsOn: [this.namespace] }),
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        // A fixed name: Loki's NetworkPolicy admits the pods the chart labels with it.
        name: LOG_SHIPPER_RELEASE,
        namespace: args.namespace,
        ...pinnedChart("alloy"),
        values: logShipperValues(args),
        cleanupOnFail: true,
        maxHistory: 5,
      },
      { ...child, dependsOn: [this.namespace, ...policies, ...args.dependsOn] },
    );
    this.registerOutputs({ namespace: args.namespace, releaseName: LOG_SHIPPER_RELEASE });
  }
}
