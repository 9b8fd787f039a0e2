import { createHash } from "node:crypto";
import * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

/*
 * Defaults every platform dashboard shares: the datasource, the layout grid,
 * threshold styling and panel numbering. A dashboard file only says what it shows.
 */

/** The Prometheus datasource is a dashboard variable, so the same JSON works in any Grafana. */
export const DATASOURCE_VARIABLE = "datasource";
const DATASOURCE: common.DataSourceRef = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

/** Grafana refuses uids longer than 40 characters. */
const MAX_UID = 40;

/**
 * A uid that stays the same for an environment across deploys, so links and
 * bookmarks survive. Long environment names are shortened with a hash to keep
 * within Grafana's limit while staying unique.
 */
export function dashboardUid(prefix: string, environment: string): string {
  const uid = `${prefix}-${environment}`;
  if (uid.length <= MAX_UID) return uid;
  const hash = createHash("sha256").update(environment).digest("hex").slice(0, 8);
  return `${uid.slice(0, MAX_UID - hash.length - 1)}-${hash}`;
}

export interface Target {
  readonly expr: string;
  readonly legend?: string;
}

function queries(targets: readonly Target[]): prometheus.DataqueryBuilder[] {
  return targets.map((t, i) => {
    const q = new prometheus.DataqueryBuilder()
      .datasource(DATASOURCE)
      .expr(t.expr)
      .refId(String.fromCharCode(65 + i));
    return t.legend === undefined ? q : q.legendFormat(t.legend);
  });
}

/** Green up to `limit`, red from it on: where an SLO turns into an alert. */
export function upperLimit(limit: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: "green" },
    { value: limit, color: "red" },
  ]);
}

/** Red below `minimum`, green from it on. */
export function lowerLimit(minimum: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: "red" },
    { value: minimum, color: "green" },
  ]);
}

export interface PanelOptions {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  readonly thresholds?: dashboard.ThresholdsConfigBuilder;
  /** Grid columns out of 24. */
  readonly width?: number;
}

/** A single number: the latest value. */
export function statPanel(o: PanelOptions): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .unit(o.unit)
    .datasource(DATASOURCE)
    .targets(queries(o.targets))
    .height(6)
    .span(o.width ?? 6)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
  return o.thresholds ? panel.thresholds(o.thresholds) : panel;
}

/** A graph over time; a threshold, when given, is drawn as a dashed line. */
export function timeseriesPanel(o: PanelOptions): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .unit(o.unit)
    .datasource(DATASOURCE)
    .targets(queries(o.targets))
    .height(8)
    .span(o.width ?? 12)
    .lineWidth(1)
    .fillOpacity(10);
  if (!o.thresholds) return panel;
  return panel
    .thresholds(o.thresholds)
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
}

type NumberedPanel = cog.Builder<dashboard.Panel> & { id(id: number): unknown };

/**
 * A provisioned dashboard: read-only (edits in the UI would be overwritten by
 * the next deploy), a datasource picker, and panels numbered in order, since
 * the SDK leaves ids unset and Grafana links panels by id.
 */
export function buildDashboard(o: {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timeFrom: string;
  readonly panels: readonly NumberedPanel[];
  /** Variables after the datasource picker, such as the service dashboard's revision. */
  readonly variables?: readonly cog.Builder<dashboard.VariableModel>[];
}): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(o.title)
    .uid(o.uid)
    .description(o.description)
    .tags([...o.tags])
    .readonly()
    .timezone("browser")
    .time({ from: o.timeFrom, to: "now" })
    .refresh("1m")
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE).label("Data source").type("prometheus"));
  for (const variable of o.variables ?? []) builder.withVariable(variable);
  o.panels.forEach((panel, i) => {
    panel.id(i + 1);
    builder.withPanel(panel);
  });
  return builder.build();
}
