// The public endpoint's surface: the component and its spec.
export { PublicEndpoint } from "./component";
export type { IngressArgs, IngressSpec } from "./spec";
