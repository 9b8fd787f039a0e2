import type { INamespace } from "kubernetes-models/v1/Namespace";
import { MANAGED_BY_LABELS } from "./labels";

/**
 * Each add-on's namespace when `addons.<name>.namespace` is not set: the config schema's
 * defaults, and namespaces the policy pack reserves (an environment must never be one).
 */
export const ADDON_DEFAULT_NAMESPACES = { argoRollouts: "argo-rollouts", kubePrometheusStack: "monitoring", pushgateway: "pushgateway", loki: "loki", logShipper: "alloy", certManager: "cert-manager" } as const;
export type AddonName = keyof typeof ADDON_DEFAULT_NAMESPACES;

/** Helm values: plain JSON. */
export type HelmValue = string | number | boolean | null | HelmValue[] | { [key: string]: HelmValue };
export type HelmValues = { [key: string]: HelmValue };

/** The Pod Security levels an add-on's namespace states, by mode; a mode left out is the cluster's default. */
export type PodSecurityLevels = Readonly<Partial<Record<"enforce" | "warn" | "audit", "privileged" | "baseline" | "restricted">>>;

/** An add-on's namespace: the levels its charts' pods can meet, stated explicitly, and the platform's labels. */
export function addonNamespace(name: string, podSecurity: PodSecurityLevels, labels: Readonly<Record<string, string>> = MANAGED_BY_LABELS): INamespace {
  const levels = Object.fromEntries(Object.entries(podSecurity).map(([mode, level]) => [`pod-security.kubernetes.io/${mode}`, level]));
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { ...labels, ...levels } } };
}
