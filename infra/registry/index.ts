// The private registry's surface: the component and its spec.
export { RegistryPullSecret } from "./component";
export type { RegistryArgs, RegistrySpec } from "./spec";
