import { resourcePolicy } from "../lib/define";
import { asString, at } from "../lib/props";

// Cluster-scoped kinds have no namespace to check.
const CLUSTER_SCOPED = new Set(["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ClusterIssuer"]);

export const resourcesMustNotUseDefaultNamespace = resourcePolicy({
  name: "resources-must-not-use-default-namespace",
  area: "kubernetes-hardening",
  description: "Every namespaced Kubernetes object names its namespace and it is not `default`, where nothing is isolated or quota-bound.",
  remediation: "set metadata.namespace to the environment's namespace (agent-hive-<environment>)",
  validate: (args, report) => {
    const m = /^kubernetes:[^:]+:([A-Za-z]+)$/.exec(args.type);
    if (!m || CLUSTER_SCOPED.has(m[1]) || args.type.startsWith("kubernetes:helm.sh/")) return;
    const ns = asString(at(args.props, "metadata", "namespace"));
    if (ns === undefined || ns === "" || ns === "default") report(`${m[1]} ${String(at(args.props, "metadata", "name"))} is in namespace ${ns || "(unset, so default)"}`);
  },
});
