import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ISecret } from "kubernetes-models/v1/Secret";
import { asArgs } from "../catalogue/k8sArgs";
import { API_KEY_SECRET, componentType } from "../catalogue/names";
import { platformLabels } from "../catalogue/labels";
import { DeployerSpec } from "./builders";


/** 48 letters and digits: about 285 bits, and nothing a shell or a URL needs quoted. */
export const API_KEY_PASSWORD: random.RandomPasswordArgs = { length: 48, special: false };

/** The key needs only where it lives, not the deployer's rights (image owner, Pushgateway). */
export type ApiKeySpec = Pick<DeployerSpec, "environment" | "namespace">;

/** The Secret without its value; the component adds `stringData` from the generated key. */
export function buildApiKeySecret(spec: ApiKeySpec): ISecret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name: API_KEY_SECRET.name,
      namespace: spec.namespace,
      labels: { ...platformLabels(spec.environment), "app.kubernetes.io/component": "api-key" },
    },
  };
}

export interface ApiKeyArgs {
  readonly spec: ApiKeySpec;
  readonly provider: k8s.Provider;
  /** The resource that creates `spec.namespace`; the Secret depends on it. */
  readonly namespace: pulumi.Resource;
}

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
