import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { asArgs } from "../catalogue/k8s-args";
import { API_KEY_SECRET, componentType } from "../catalogue/names";
import { API_KEY_PASSWORD, buildApiKeySecret } from "./builders";
import type { ApiKeyArgs } from "./spec";

/**
 * The environment's API key, generated once and kept in state: the same value
 * goes to the namespace (for the service) and, through `value`, to the GitHub
 * environment secret `<ENV>_API_KEY` (for the integration and smoke tests), so
 * the two can never drift apart. Replacing the RandomPassword rotates both.
 * The RandomPassword uses the component's `random` provider if one is passed
 * in `providers`, else the default one (it needs no credentials).
 */
export class ApiKey extends pulumi.ComponentResource {
  /** The key, a secret from generation to every consumer. */
  readonly value: pulumi.Output<string>;

  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    // The type token keeps the `deployer` module this component was first registered under:
    // it is part of every child's URN, and changing it would replace the key and its Secret.
    super(componentType("deployer", "ApiKey"), name, {}, opts);
    const password = new random.RandomPassword(`${name}-value`, API_KEY_PASSWORD, { parent: this });
    // `result` is already a secret output of RandomPassword; say so here too, where it matters.
    this.value = pulumi.secret(password.result);
    const model = buildApiKeySecret(args.spec);
    new k8s.core.v1.Secret(
      `${name}-secret`,
      { ...asArgs<k8s.core.v1.SecretArgs>(model), stringData: { [API_KEY_SECRET.key]: this.value } },
      { parent: this, provider: args.provider, dependsOn: [args.namespace], additionalSecretOutputs: ["data", "stringData"] },
    );
    this.registerOutputs({ value: this.value });
  }
}
