import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** Where the environment's API key lives; a projection of the stack config. */
export interface ApiKeySpec {
  readonly environment: string;
  /** The environment's namespace, where the key's Secret is created. */
  readonly namespace: string;
}

export interface ApiKeyArgs {
  readonly spec: ApiKeySpec;
  readonly provider: k8s.Provider;
  /** The resource that creates `spec.namespace`; the Secret depends on it. */
  readonly namespace: pulumi.Resource;
}
