import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What the log shipper (Grafana Alloy) needs to know; a projection of the
 * stack config's `addons.logShipper` and `addons.loki`, checked at the config
 * edge (a shipper is installed only with Loki). The stream labels and Loki's
 * Service are catalogue facts (infra/catalogue/logs.ts).
 */
export interface LogShipperArgs {
  /** The cluster to install into. */
  readonly provider: k8s.Provider;
  /** The namespace to create and install into (`alloy`). */
  readonly namespace: string;
  /** The namespaces whose pods' logs are shipped; nothing else in the cluster is read. */
  readonly sourceNamespaces: readonly [string, ...string[]];
  /** Loki's namespace (`addons.loki.namespace`): the push URL is its Service there. */
  readonly lokiNamespace: string;
  /** What the release waits for: Loki's, so the first lines are not pushed into nothing. */
  readonly dependsOn: readonly pulumi.Resource[];
}
