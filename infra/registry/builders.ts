import type { ISecret } from "kubernetes-models/v1/Secret";
import { platformLabels } from "../catalogue/labels";
import { REGISTRY_PULL_SECRET } from "../catalogue/names";
import type { RegistrySpec } from "./spec";

/** The key a `kubernetes.io/dockerconfigjson` Secret holds the credentials under. */
export const DOCKER_CONFIG_KEY = ".dockerconfigjson";

/** The pull secret without its value; the component adds the credentials as a secret. */
export function buildPullSecret(spec: RegistrySpec): ISecret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/dockerconfigjson",
    metadata: {
      name: REGISTRY_PULL_SECRET.name,
      namespace: spec.namespace,
      labels: { ...platformLabels(spec.environment), "app.kubernetes.io/component": "registry" },
    },
  };
}

/**
 * What `kubectl create secret docker-registry` writes: the registry's
 * credentials, with `auth` (base64 of user:password) that the kubelet reads.
 */
export function dockerConfigJson(server: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
  return JSON.stringify({ auths: { [server]: { username, password, auth } } });
}
