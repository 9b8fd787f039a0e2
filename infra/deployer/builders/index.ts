// The deployer's builders: its identity and rights (identity.ts) and the kubeconfig CI uses (kubeconfig.ts).
export * from "./identity";
export * from "./kubeconfig";
