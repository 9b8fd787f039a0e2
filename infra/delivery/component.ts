import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../catalogue/k8s-args";
import { componentType } from "../catalogue/names";
import { buildAnalysisTemplate, buildPodDisruptionBudget, buildRollout, buildServiceAccount, buildServices, deliveryNames, rolloutIgnoreChanges } from "./builders";
import type { DeliveryArgs } from "./spec";

/**
 * One service delivered progressively by Argo Rollouts: the Rollout, its
 * Services, the SLO AnalysisTemplate that gates each version, and a
 * PodDisruptionBudget. The logic lives in the pure builders beside this file.
 */
export class Delivery extends pulumi.ComponentResource {
  readonly rollout: k8s.apiextensions.CustomResource;
  readonly analysisTemplate: k8s.apiextensions.CustomResource;
  readonly services: readonly k8s.core.v1.Service[];
  readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
  readonly serviceAccount: k8s.core.v1.ServiceAccount;
  /** The clients' Service, which the Ingress routes to. */
  readonly clientService: k8s.core.v1.Service;
  /** For `kubectl argo rollouts status <rolloutName> -n <namespace>`. */
  readonly rolloutName: string;
  readonly stableServiceName: string;

  constructor(name: string, args: DeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("delivery", "Delivery"), name, {}, opts);
    const { spec, provider } = args;
    const child = { parent: this, provider };
    const inNamespace = { ...child, dependsOn: [args.namespace] };
    const customResource = { ...child, dependsOn: [args.namespace, ...args.crdDependencies] };

    this.services = buildServices(spec).map(
      ({ role, service }) => new k8s.core.v1.Service(`${name}-${role}`, asArgs<k8s.core.v1.ServiceArgs>(service), inNamespace),
    );
    this.clientService = this.services[0];
    this.serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-service-account`, asArgs<k8s.core.v1.ServiceAccountArgs>(buildServiceAccount(spec)), inNamespace);
    this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      asArgs<k8s.policy.v1.PodDisruptionBudgetArgs>(buildPodDisruptionBudget(spec)),
      inNamespace,
    );
    this.analysisTemplate = new k8s.apiextensions.CustomResource(
      `${name}-analysis`,
      asArgs<k8s.apiextensions.CustomResourceArgs>(buildAnalysisTemplate(spec)),
      customResource,
    );
    // After its Services and template: Argo reports a Rollout that references
    // missing ones as InvalidSpec until its next resync, a false alarm.
    this.rollout = new k8s.apiextensions.CustomResource(`${name}-rollout`, asArgs<k8s.apiextensions.CustomResourceArgs>(buildRollout(spec)), {
      ...customResource,
      // And its ServiceAccount: a pod naming a missing one is refused.
      dependsOn: [...customResource.dependsOn, ...this.services, this.analysisTemplate, this.serviceAccount, ...(args.podDependencies ?? [])],
      ignoreChanges: rolloutIgnoreChanges(spec),
    });

    const names = deliveryNames(spec.service);
    this.rolloutName = names.rollout;
    this.stableServiceName = names.clientService;
    this.registerOutputs({ rolloutName: this.rolloutName, stableServiceName: this.stableServiceName });
  }
}
