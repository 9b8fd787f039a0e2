// The cert-manager add-on's public surface: the component and its args.
export { CertManager } from "./component";
export type { AcmeIssuerSpec, CertManagerArgs } from "./spec";
