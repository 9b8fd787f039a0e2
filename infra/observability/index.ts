// The observability slice's public surface: the component and its spec.
export { Observability } from "./component";
export type { AlertPolicy, ObservabilityArgs, ObservabilitySpec, ObservedService, Severity, SlackDestination } from "./spec";
