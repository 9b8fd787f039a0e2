// The delivery slice's public surface: the component and its spec.
export { Delivery } from "./component";
export type {
  AnalysisSettings,
  CanaryStep,
  ContainerResources,
  DeliveredService,
  DeliveryArgs,
  DeliverySpec,
  DeliveryStrategy,
  ResourceList,
  Slo,
} from "./spec";
