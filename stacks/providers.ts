import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./config/parse";

export interface Providers {
  readonly kubernetes: k8s.Provider;
  /** Absent where the stack does not manage GitHub (`github.manage: false`). */
  readonly github?: github.Provider;
}

/**
 * Explicit providers, made once at the edge and passed down, so no resource
 * ever falls back to an ambient default provider (a kubeconfig pointing at the
 * wrong cluster, a GitHub token for the wrong owner).
 */
export function createProviders(config: PlatformConfig, kubeconfig: pulumi.Output<string> | undefined): Providers {
  return {
    kubernetes: new k8s.Provider("kubernetes", {
      // Without a kubeconfig secret the provider reads the ambient KUBECONFIG.
      kubeconfig: kubeconfig ? pulumi.secret(kubeconfig) : undefined,
      context: config.kubernetes.context,
      enableServerSideApply: true,
      // Never drop objects from state because the cluster did not answer: a
      // network blip must not orphan production's resources.
      deleteUnreachable: false,
    }),
    // The token comes from GITHUB_TOKEN in the environment, never from config.
    ...(config.github.manage ? { github: new github.Provider("github", { owner: config.github.owner }) } : {}),
  };
}
