import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ImageOwner } from "../catalogue/pipeline";

/** Who sets the image the Rollout runs: it decides whether the deployer may `update` Rollouts. */
export type { ImageOwner };

/** Where the in-cluster Pushgateway runs; the deployer may port-forward to it there. */
export interface PushgatewayAccess {
  /** The Pushgateway's namespace (kube-prometheus-stack's, `monitoring` by default). */
  readonly namespace: string;
  /** Its ClusterIP Service, e.g. `pushgateway` (port 9091). */
  readonly serviceName: string;
}

/** What the deployer slice needs to know; a projection of the resolved stack config, checked at its edge. */
export interface DeployerSpec {
  readonly environment: string;
  /** The environment's namespace: the only place the deployer may change anything. */
  readonly namespace: string;
  readonly imageOwner: ImageOwner;
  /**
   * Let the pipeline reach the Pushgateway with `kubectl port-forward` (see
   * PUSHGATEWAY_ACCESS). Omitted = no grant outside the environment's namespace.
   */
  readonly pushgateway?: PushgatewayAccess;
}

/** How CI reaches the cluster: config values, checked at the config edge (an https endpoint, a base64 PEM CA). */
export interface DeployerCluster {
  /** The cluster's name inside the kubeconfig, e.g. `agent-hive-staging`. */
  readonly clusterName: string;
  /** The API server URL as CI (GitHub's runners) reaches it: `https://...`. */
  readonly endpoint: string;
  /**
   * The API server's CA, base64 PEM (`certificate-authority-data`). Absent:
   * the `ca.crt` the token controller puts in the token Secret, which is the
   * cluster's root CA and known only once the cluster has filled the Secret;
   * set it when the endpoint CI uses presents another CA.
   */
  readonly caData?: string;
}

export interface DeployerArgs {
  readonly spec: DeployerSpec;
  /** The cluster to create the deployer in. */
  readonly provider: k8s.Provider;
  /**
   * The resource that creates `spec.namespace` (the Environment's Namespace).
   * Everything here depends on it, because the namespace name is a plain string.
   */
  readonly namespace: pulumi.Resource;
  readonly cluster: DeployerCluster;
  /**
   * What creates `spec.pushgateway.namespace` (e.g. KubePrometheusStack's
   * namespace); the port-forward Role and RoleBinding there wait for it.
   * Ignored without `spec.pushgateway`. Default: none (the namespace exists).
   */
  readonly pushgatewayDependsOn?: readonly pulumi.Resource[];
}
