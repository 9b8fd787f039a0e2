import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** The private registry the services' images come from; a projection of the `registry` config. */
export interface RegistrySpec {
  readonly environment: string;
  /** The environment's namespace, where the pull secret is created. */
  readonly namespace: string;
  /** The registry host as image references name it (`ghcr.io`). */
  readonly server: string;
  readonly username: string;
}

export interface RegistryArgs {
  readonly spec: RegistrySpec;
  /** The password or token (the secret key `registryPassword`): a Pulumi secret, and it stays one. */
  readonly password: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  /** The resource that creates `spec.namespace`; the Secret depends on it. */
  readonly namespace: pulumi.Resource;
}
