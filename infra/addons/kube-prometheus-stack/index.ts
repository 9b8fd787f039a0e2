// The kube-prometheus-stack add-on's public surface: the component and its args.
export { KubePrometheusStack } from "./component";
export type { KubePrometheusStackArgs } from "./spec";
