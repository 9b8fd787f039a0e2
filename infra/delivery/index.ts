// The delivery slice's public API, for the stack entry and the other slices.
export * from "./spec";
export * from "./names";
export * from "./labels";
export * from "./image";
export * from "./podTemplate";
export * from "./analysis";
export * from "./services";
export * from "./disruption";
export * from "./rollout";
export * from "./ownership";
export * from "./component";
