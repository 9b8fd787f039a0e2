import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../catalogue/k8s-args";
import { componentType } from "../catalogue/names";
import { DOCKER_CONFIG_KEY, buildPullSecret, dockerConfigJson } from "./builders";
import type { RegistryArgs } from "./spec";

/**
 * The image pull secret of the environment's private registry. The password
 * arrives as a Pulumi secret and the dockerconfigjson built from it is one
 * too, from config to the Secret's inputs and outputs: the plan and every
 * diff show `[secret]`.
 */
export class RegistryPullSecret extends pulumi.ComponentResource {
  readonly secret: k8s.core.v1.Secret;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("registry", "RegistryPullSecret"), name, {}, opts);
    const { server, username } = args.spec;
    // Secret here, not only because the password is: the derived value must never lose the mark.
    const config = pulumi.secret(args.password.apply((password) => dockerConfigJson(server, username, password)));
    this.secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      { ...asArgs<k8s.core.v1.SecretArgs>(buildPullSecret(args.spec)), stringData: { [DOCKER_CONFIG_KEY]: config } },
      { parent: this, provider: args.provider, dependsOn: [args.namespace], additionalSecretOutputs: ["data", "stringData"] },
    );
    this.registerOutputs({});
  }
}
