import type { INamespace } from "kubernetes-models/v1/Namespace";
import { addonNamespace } from "../../catalogue/addons";
import { PART_OF_PLATFORM_LABELS } from "../../catalogue/labels";
import type { ArgoRolloutsArgs } from "./spec";

/** The Helm release name: fixed, since Helm keys the installed release (and its CRDs) by it. */
export const ARGO_ROLLOUTS_RELEASE = "argo-rollouts";

/**
 * The controller namespace. Pod Security `restricted` holds there too: the
 * pinned chart's controller runs non-root, drops all capabilities and uses the
 * RuntimeDefault seccomp profile.
 */
export function buildArgoRolloutsNamespace(args: Pick<ArgoRolloutsArgs, "namespace" | "labels">): INamespace {
  return addonNamespace(args.namespace, { enforce: "restricted", warn: "restricted", audit: "restricted" }, { ...args.labels, ...PART_OF_PLATFORM_LABELS });
}

/**
 * Chart values, stated even where they match the chart's defaults, so a chart
 * bump cannot change them unseen.
 */
export function argoRolloutsValues(monitoring?: { readonly selectorLabels: Readonly<Record<string, string>> }) {
  return {
    ...(monitoring
      ? { controller: { replicas: 2, metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...monitoring.selectorLabels } } } } }
      : {}),
    installCRDs: true,
    // Helm keeps the CRDs on uninstall: deleting a CRD deletes every Rollout,
    // and with them every service's pods.
    keepCRDs: true,
    // Two replicas with leader election: a controller restart never freezes a canary midway.
    ...(monitoring ? {} : { controller: { replicas: 2 } }),
    // The pipeline and operators use the kubectl plugin; an unauthenticated UI is not exposed.
    dashboard: { enabled: false },
  };
}
