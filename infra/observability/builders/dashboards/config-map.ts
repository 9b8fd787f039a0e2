import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import { GRAFANA_FOLDER_ANNOTATION } from "../../../catalogue/grafana";
import type { ObservabilitySpec } from "../../spec";
import { observabilityLabels } from "../labels";
import { cicdDashboard } from "./cicd";
import { serviceDashboard } from "./service";

/** The environment's dashboards, in the order they are provisioned. */
export function dashboards(spec: ObservabilitySpec): dashboard.Dashboard[] {
  return [cicdDashboard(spec), serviceDashboard(spec)];
}

/**
 * A dashboard as the Grafana sidecar provisions it: a ConfigMap labelled for
 * the sidecar, with the folder in an annotation and the JSON model as
 * `<uid>.json`.
 */
export function dashboardConfigMap(spec: ObservabilitySpec, model: dashboard.Dashboard): IConfigMap {
  if (!model.uid) throw new Error(`dashboard "${model.title}" has no uid: give it one so its URL stays stable`);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `${model.uid}-dashboard`,
      namespace: spec.namespace,
      labels: { ...observabilityLabels(spec), [spec.grafana.dashboardLabel.name]: spec.grafana.dashboardLabel.value },
      annotations: { [GRAFANA_FOLDER_ANNOTATION]: spec.grafana.folder },
    },
    data: { [`${model.uid}.json`]: JSON.stringify(model, null, 2) },
  };
}
