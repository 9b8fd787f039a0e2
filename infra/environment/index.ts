// The environment's public surface: the component and its spec.
export { Environment } from "./component";
export type { EnvironmentArgs, EnvironmentSpec } from "./spec";
