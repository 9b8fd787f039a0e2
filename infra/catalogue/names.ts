/**
 * Names that are an external contract: the guide's workflows, scripts and
 * dashboards refer to them, and renaming a Kubernetes object replaces it.
 */

/** The Pulumi project name; config keys are `agent-hive-platform:<key>`. */
export const PROJECT = "agent-hive-platform";

/** The application's label value, as the guide's `kubectl logs -l app=agent-hive`. */
export const APP = "agent-hive";

/** Default namespace of an environment: `agent-hive-staging`, `agent-hive-production`. */
export function defaultNamespace(environment: string): string {
  return `${APP}-${environment}`;
}

/** Component type tokens: `agent-hive:<module>:<Type>`. */
export const componentType = (module: string, type: string): string => `agent-hive:${module}:${type}`;

/** The kube-prometheus-stack release; the operator selects rules and monitors by `release: <this>`. */
export const KUBE_PROMETHEUS_RELEASE = "kube-prometheus-stack";

/** Prometheus's in-cluster address for a kube-prometheus-stack release in `namespace`. */
export function prometheusAddress(namespace: string): string {
  return clusterServiceUrl(`${KUBE_PROMETHEUS_RELEASE}-prometheus`, namespace, 9090);
}

/** In-cluster URL of a Service, such as a Prometheus for `analysis.prometheusAddress`. */
export function clusterServiceUrl(service: string, namespace: string, port: number): string {
  return `http://${service}.${namespace}.svc:${port}`;
}

/** The Secret holding an environment's generated API key: written by the platform, read by the service. */
export const API_KEY_SECRET = { name: "agent-hive-api-key", key: "api-key" } as const;

/**
 * The image pull secret of a private registry (a `kubernetes.io/dockerconfigjson`
 * Secret in the environment's namespace), named by every service's ServiceAccount.
 */
export const REGISTRY_PULL_SECRET = { name: "agent-hive-registry" } as const;
