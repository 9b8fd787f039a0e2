import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../catalogue/k8s-args";
import { componentType } from "../catalogue/names";
import { buildIngress } from "./builders";
import type { IngressArgs } from "./spec";

/** The environment's public endpoint: one Ingress with TLS in the environment's namespace. */
export class PublicEndpoint extends pulumi.ComponentResource {
  readonly ingress: k8s.networking.v1.Ingress;
  /** `https://<host>`: what the pipeline's integration and smoke tests call. */
  readonly url: string;

  constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("ingress", "PublicEndpoint"), name, {}, opts);
    this.ingress = new k8s.networking.v1.Ingress(`${name}-ingress`, asArgs<k8s.networking.v1.IngressArgs>(buildIngress(args.spec)), {
      parent: this,
      provider: args.provider,
      dependsOn: [args.namespace, ...(args.dependsOn ?? [])],
    });
    this.url = `https://${args.spec.host}`;
    this.registerOutputs({ url: this.url });
  }
}
