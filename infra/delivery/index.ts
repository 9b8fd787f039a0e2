// The delivery slice's public surface: the component and its spec.
export { Delivery } from "./component";
export type {
  AnalysisSettings,
  BlueGreenPromotion,
  CanaryStep,
  ContainerResources,
  DeliveredService,
  DeliveryArgs,
  DeliverySpec,
  DeliveryStrategy,
  ImagePin,
  ResourceList,
  Slo,
} from "./spec";
