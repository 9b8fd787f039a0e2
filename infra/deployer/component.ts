import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { asArgs } from "../catalogue/k8s-args";
import { componentType } from "../catalogue/names";
import {
  DEPLOYER,
  buildPushgatewayRole,
  buildPushgatewayRoleBinding,
  buildRole,
  buildRoleBinding,
  buildServiceAccount,
  buildTokenSecret,
  kubeconfigFromTokenData,
} from "./builders";
import type { DeployerArgs } from "./spec";

/**
 * The least-privilege identity CI deploys with: a ServiceAccount, a Role that
 * can promote, abort and watch a Rollout (and set its image when the pipeline
 * owns it) in this namespace only, its RoleBinding, optionally the
 * port-forward grant to the Pushgateway, a long-lived token, and the
 * kubeconfig built from it for the GitHub environment secret.
 */
export class Deployer extends pulumi.ComponentResource {
  /** The deployer's kubeconfig (YAML text, not base64). Always a secret; unknown in preview. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly serviceAccountName: pulumi.Output<string>;

  constructor(name: string, args: DeployerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentType("deployer", "Deployer"), name, {}, opts);
    const { spec, provider, cluster } = args;
    const inNamespace = { parent: this, provider, dependsOn: [args.namespace] };

    const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-service-account`, buildServiceAccount(spec), inNamespace);
    new k8s.rbac.v1.Role(`${name}-role`, asArgs<k8s.rbac.v1.RoleArgs>(buildRole(spec)), inNamespace);
    new k8s.rbac.v1.RoleBinding(`${name}-role-binding`, asArgs<k8s.rbac.v1.RoleBindingArgs>(buildRoleBinding(spec)), inNamespace);

    // Only with `spec.pushgateway`: the port-forward grant in the Pushgateway's namespace (see pushgatewayRules).
    const pushgatewayRole = buildPushgatewayRole(spec);
    const pushgatewayBinding = buildPushgatewayRoleBinding(spec);
    if (pushgatewayRole && pushgatewayBinding) {
      // Not after the environment's namespace: these live in the Pushgateway's. A binding may name
      // a ServiceAccount that does not exist yet, so no order against it is needed either.
      const inPushgatewayNamespace = { parent: this, provider, dependsOn: [...(args.pushgatewayDependsOn ?? [])] };
      new k8s.rbac.v1.Role(`${name}-pushgateway-role`, asArgs<k8s.rbac.v1.RoleArgs>(pushgatewayRole), inPushgatewayNamespace);
      new k8s.rbac.v1.RoleBinding(`${name}-pushgateway-role-binding`, asArgs<k8s.rbac.v1.RoleBindingArgs>(pushgatewayBinding), inPushgatewayNamespace);
    }
    // The token controller fills the Secret only for an existing service account
    // (and the provider's awaiter fails without one), hence the explicit order.
    const tokenSecret = new k8s.core.v1.Secret(`${name}-token`, asArgs<k8s.core.v1.SecretArgs>(buildTokenSecret(spec)), {
      ...inNamespace,
      dependsOn: [args.namespace, serviceAccount],
      // The token controller writes the token into `data`: keep it secret in state.
      additionalSecretOutputs: ["data"],
    });

    // `data` is already a secret output of a Secret; wrapping again keeps the
    // kubeconfig secret even if that ever changed, and covers the CA/endpoint mix.
    // What the cluster wrote into the Secret is known only now; a problem with it is this component's.
    this.kubeconfig = pulumi.secret(
      tokenSecret.data.apply((data) => {
        try {
          return kubeconfigFromTokenData(data, cluster, spec.namespace, DEPLOYER.serviceAccount);
        } catch (e) {
          throw new pulumi.ResourceError((e as Error).message, this);
        }
      }),
    );
    this.serviceAccountName = serviceAccount.metadata.name;
    this.registerOutputs({ kubeconfig: this.kubeconfig, serviceAccountName: this.serviceAccountName });
  }
}
