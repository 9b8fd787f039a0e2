/**
 * Each add-on's namespace when `addons.<name>.namespace` is not set: the config schema's
 * defaults, and namespaces the policy pack reserves (an environment must never be one).
 */
export const ADDON_DEFAULT_NAMESPACES = { argoRollouts: "argo-rollouts", kubePrometheusStack: "monitoring", pushgateway: "pushgateway", loki: "loki", logShipper: "alloy", certManager: "cert-manager" } as const;
export type AddonName = keyof typeof ADDON_DEFAULT_NAMESPACES;
