// The Loki add-on's public surface: the component and its args.
export { Loki } from "./component";
export type { LokiArgs } from "./spec";
