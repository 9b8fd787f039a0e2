import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** The environment's public endpoint; a projection of the resolved `ingress` config, checked at its edge. */
export interface IngressSpec {
  readonly environment: string;
  readonly namespace: string;
  /** Labels every object carries (the namespace's extra labels); the platform's own win. */
  readonly labels: Readonly<Record<string, string>>;
  /** The public host (`api.agent-hive.com`), a DNS name without wildcard. */
  readonly host: string;
  /** The IngressClass of the controller that serves the host. */
  readonly className: string;
  /**
   * Where the host's traffic goes: a service's stable Service (the clients'
   * one, over every version's pods, so a canary gets its share) and its port.
   */
  readonly backend: { readonly serviceName: string; readonly port: number };
  readonly tls: {
    /** The Secret with the host's certificate, in the environment's namespace. */
    readonly secretName: string;
    /** The cert-manager ClusterIssuer that writes that Secret; undefined when it is provided by hand. */
    readonly clusterIssuer?: string;
  };
  /** Extra annotations for the controller; the cluster issuer's is set from `tls`. */
  readonly annotations: Readonly<Record<string, string>>;
}

export interface IngressArgs {
  readonly spec: IngressSpec;
  readonly provider: k8s.Provider;
  /** The environment's Namespace resource: the Ingress lives in it and waits for it. */
  readonly namespace: pulumi.Resource;
  /**
   * What the Ingress should follow: the Service it routes to, and the
   * ClusterIssuer of its certificate where this stack creates it (cert-manager
   * would otherwise first report the issuer missing). Default none.
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}
