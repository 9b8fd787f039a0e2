import { resourcePolicy } from "../lib/define";
import { apiVersionOf } from "../lib/props";

// Built-in API groups: the core group and everything Kubernetes itself serves.
const BUILT_IN = /^(v\d+\w*|(apps|batch|policy|autoscaling|[a-z0-9.-]*\.k8s\.io)\/v\d+\w*)$/;

export const kubernetesApisMustBeStable = resourcePolicy({
  name: "kubernetes-apis-must-be-stable",
  area: "kubernetes-hardening",
  description: "Built-in Kubernetes objects use GA API versions; alpha and beta versions are disabled by default or removed in later releases. CRD groups (argoproj.io, monitoring.coreos.com) version on their own and are exempt.",
  remediation: "use the GA version of the API (for example policy/v1, networking.k8s.io/v1, autoscaling/v2)",
  validate: (args, report) => {
    const apiVersion = apiVersionOf(args.type);
    if (!apiVersion || !BUILT_IN.test(apiVersion)) return;
    if (/v\d+(alpha|beta)\d*$/.test(apiVersion)) report(`${args.type} uses the pre-release API ${apiVersion}`);
  },
});
