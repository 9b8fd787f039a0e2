// The Argo Rollouts add-on's public surface: the component and its args.
export { ArgoRollouts } from "./component";
export type { ArgoRolloutsArgs } from "./spec";
