// The delivery slice's pure builders, one file per object they build.
export * from "./names";
export * from "./labels";
export * from "./image";
export * from "./pod-template";
export * from "./analysis";
export * from "./services";
export * from "./disruption";
export * from "./rollout";
export * from "./ownership";
export * from "./service-account";
