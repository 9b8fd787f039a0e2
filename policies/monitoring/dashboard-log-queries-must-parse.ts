import { LOKI_DATASOURCE } from "../../infra/catalogue/logs";
import { resourcePolicy } from "../lib/define";
import { logqlErrors } from "../lib/logql";
import { Props, asArray, asRecord, asString, at } from "../lib/props";

const CONFIG_MAP_TYPE = "kubernetes:core/v1:ConfigMap";
const LOKI = "loki";

/** A Loki query of a dashboard: the panel it is in and its expression. */
interface LogQuery {
  readonly panel: string;
  readonly expr: string;
  /** The datasource uid the query runs on: its target's, else its panel's. */
  readonly uid: string | undefined;
}

/** Panels at any depth: a collapsed row keeps its panels inside it. */
function panelsOf(model: Props): Props[] {
  return asArray(model.panels).flatMap((p) => {
    const panel = asRecord(p);
    return [panel, ...panelsOf(panel)];
  });
}

/** The Loki queries of a Grafana dashboard model: targets whose own datasource, or their panel's, is a Loki one. */
export function lokiQueriesOf(model: Props): LogQuery[] {
  return panelsOf(model).flatMap((panel) => {
    // A datasource is Loki's by its type, or by the provisioned Loki uid when the type is left out.
    const lokiRef = (ref: unknown) => asString(at(ref, "type")) === LOKI || (asString(at(ref, "type")) === undefined && asString(at(ref, "uid")) === LOKI_DATASOURCE.uid);
    const panelIsLoki = lokiRef(panel.datasource);
    return asArray(panel.targets).flatMap((t): LogQuery[] => {
      const target = asRecord(t);
      const ref = target.datasource;
      const isLoki = asString(at(ref, "type")) === undefined && asString(at(ref, "uid")) === undefined ? panelIsLoki : lokiRef(ref);
      const uid = asString(at(target, "datasource", "uid")) ?? asString(at(panel, "datasource", "uid"));
      return isLoki ? [{ panel: asString(panel.title) ?? "(untitled)", expr: asString(target.expr) ?? "", uid }] : [];
    });
  });
}

/** Every dashboard model in a ConfigMap: each data value that is a JSON object with panels. */
function dashboardsIn(props: Props): { key: string; model: Props }[] {
  return Object.entries(asRecord(props.data)).flatMap(([key, value]) => {
    if (typeof value !== "string") return [];
    try {
      const model = asRecord(JSON.parse(value));
      return Array.isArray(model.panels) ? [{ key, model }] : [];
    } catch {
      return [];
    }
  });
}

export const dashboardLogQueriesMustParse = resourcePolicy({
  name: "dashboard-log-queries-must-parse",
  area: "monitoring",
  description:
    "Every Loki query of a provisioned Grafana dashboard is valid LogQL that Loki will run (a stream selector with a matcher that excludes the empty value) on the provisioned Loki datasource; a broken one shows an error where the logs should be, just when someone needs them.",
  remediation: "fix the query (infra/observability/builders/dashboards/logs.ts builds it from the catalogue's stream labels) and check it in Grafana's Explore",
  validate: (args, report) => {
    if (args.type !== CONFIG_MAP_TYPE) return;
    for (const { key, model } of dashboardsIn(args.props)) {
      for (const q of lokiQueriesOf(model)) {
        for (const e of logqlErrors(q.expr)) report(`dashboard ${key}, panel "${q.panel}": ${e}`);
        // The platform provisions one Loki datasource, by this uid; another shows "datasource not found".
        if (q.uid !== LOKI_DATASOURCE.uid) report(`dashboard ${key}, panel "${q.panel}": runs on Loki datasource uid ${q.uid ?? "(none)"}, not the provisioned ${LOKI_DATASOURCE.uid}`);
      }
    }
  },
});
