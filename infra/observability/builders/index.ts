// The observability slice's pure builders, one file per thing they build.
export * from "./labels";
export * from "./promql";
export * from "./alerts";
export * from "./dora-push";
export * from "./dora";
export * from "./prometheus-rule";
export * from "./monitors";
export * from "./alertmanager";
export * from "./dashboards/panels";
export * from "./dashboards/cicd";
export * from "./dashboards/service";
export * from "./dashboards/config-map";
