import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../catalogue/k8s-args";
import { componentType } from "../catalogue/names";
import { buildLimitRange, buildNamespace, buildNetworkPolicies, buildResourceQuota } from "./builders";
import type { EnvironmentArgs } from "./spec";

/**
 * One environment's namespace, hardened: Pod Security Admission restricted, a
 * quota and container defaults, and default-deny networking with the
 * platform's allowances. Everything else in the environment lives in
 * `namespace` and depends on it.
 */
export class Environment extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly namespaceName: pulumi.Output<string>;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("environment", "Environment"), name, {}, opts);
    const { spec, provider } = args;
    const child = { parent: this, provider };

    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, buildNamespace(spec), {
      ...child,
      protect: args.protect,
    });
    // The children's namespace is a plain string from config, so the ordering is explicit.
    const inNamespace = { ...child, dependsOn: [this.namespace] };
    new k8s.core.v1.ResourceQuota(`${name}-quota`, asArgs<k8s.core.v1.ResourceQuotaArgs>(buildResourceQuota(spec)), inNamespace);
    new k8s.core.v1.LimitRange(`${name}-limits`, asArgs<k8s.core.v1.LimitRangeArgs>(buildLimitRange(spec)), inNamespace);
    for (const policy of buildNetworkPolicies(spec)) {
      new k8s.networking.v1.NetworkPolicy(`${name}-${policy.metadata?.name}`, policy, inNamespace);
    }

    this.namespaceName = this.namespace.metadata.name;
    this.registerOutputs({ namespaceName: this.namespaceName });
  }
}
