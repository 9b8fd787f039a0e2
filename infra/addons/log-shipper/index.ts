// The log-shipper add-on's public surface: the component and its args.
export { LogShipper } from "./component";
export type { LogShipperArgs } from "./spec";
