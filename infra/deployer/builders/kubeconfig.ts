import { stringify } from "yaml";

export interface KubeconfigInput {
  /** A name for the cluster inside the kubeconfig (not a cloud resource name). */
  readonly clusterName: string;
  /** The API server URL CI reaches, `https://...`. */
  readonly endpoint: string;
  /** The API server's CA bundle, PEM, base64-encoded (kubeconfig's `certificate-authority-data`). */
  readonly caData: string;
  readonly namespace: string;
  /** The bearer token, in clear (not base64). Never printed, not even in an error. */
  readonly token: string;
  /** The user's name inside the kubeconfig. */
  readonly user: string;
}

/**
 * A kubeconfig for one user, one cluster and one namespace: what the deploy
 * job writes to /tmp/kubeconfig. The namespace is in the context so
 * `kubectl get pods` needs no `-n`; the Role allows nothing elsewhere anyway.
 * The cluster fields come checked from the config edge; the token comes from
 * the cluster, so only it is checked here, and never echoed.
 */
export function buildKubeconfig(input: KubeconfigInput): string {
  if (input.token.trim() === "") throw new Error("deployer kubeconfig: the token is empty (the service-account token Secret has not been filled)");
  const context = `${input.user}@${input.clusterName}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: input.clusterName, cluster: { server: input.endpoint, "certificate-authority-data": input.caData.replace(/\s+/g, "") } }],
    users: [{ name: input.user, user: { token: input.token } }],
    contexts: [{ name: context, context: { cluster: input.clusterName, user: input.user, namespace: input.namespace } }],
    "current-context": context,
    preferences: {},
  });
}

/**
 * The kubeconfig from the token Secret's `data` as Kubernetes returns it
 * (base64 values). Without `caData` from config, the Secret's own `ca.crt` is
 * used: the token controller copies the cluster's root CA there.
 */
export function kubeconfigFromTokenData(
  data: Readonly<Record<string, string>> | undefined,
  cluster: { readonly clusterName: string; readonly endpoint: string; readonly caData?: string },
  namespace: string,
  user: string,
): string {
  const token = data?.token;
  if (!token) throw new Error("deployer kubeconfig: the service-account token Secret has no data.token; is the token controller running?");
  const caData = cluster.caData ?? data["ca.crt"];
  if (!caData) throw new Error("deployer kubeconfig: no caData configured and the token Secret has no data.ca.crt");
  return buildKubeconfig({ clusterName: cluster.clusterName, endpoint: cluster.endpoint, caData, namespace, user, token: Buffer.from(token, "base64").toString("utf8") });
}
