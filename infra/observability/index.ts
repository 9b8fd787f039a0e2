// The observability slice's public surface: the component, its spec, and the
// pure builders the tests and the offline plan render.
export { Observability } from "./component";
export type { ObservabilityArgs } from "./component";
export { durationSeconds, observabilityLabels } from "./spec";
export type { AlertPolicy, ObservabilitySpec, ObservedService, Severity, SlackDestination } from "./spec";
export { alertDefinitions } from "./alerts";
export type { AlertDefinition, AlertName } from "./alerts";
export { ALERT_GROUP, DORA_GROUP, buildPrometheusRule, ruleFile } from "./prometheusRule";
export type { RuleFile } from "./prometheusRule";
export { DORA_RECORDS, DORA_WINDOW } from "./dora";
export { DORA_PUSH_JOB, DORA_RUN_LABEL, doraPushPath, doraPushUrl, pushBody, pushedSamples } from "./doraPush";
export type { PipelineRun, PushedSample } from "./doraPush";
export { PUSHGATEWAY_SERVICE, pushgatewayAddress } from "./pushgateway";
export { ROLLOUTS_NAMESPACE_LABEL } from "./promql";
export { buildPodMonitor, buildPodMonitors, buildPushgatewayServiceMonitor, servicePodLabels } from "./monitors";
export { alertRouting, buildAlertmanagerConfig, buildSlackWebhookSecret } from "./alertmanager";
export { dashboardConfigMap, dashboards } from "./dashboards/configMap";
export { DEFAULT_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from "./grafanaSidecar";
export { CICD_TITLE, cicdDashboard } from "./dashboards/cicd";
export { SERVICE_TITLE, serviceDashboard } from "./dashboards/service";
