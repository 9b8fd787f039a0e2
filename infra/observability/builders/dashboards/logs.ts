import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import { LOG_STREAM_LABELS } from "../../../catalogue/logs";

/*
 * The service dashboard's logs, from Loki: the environment's pods, one
 * revision (pod template hash) or all, so a canary's logs sit beside its
 * error rate by the same hash.
 */

/** The dashboard variable that picks a revision; its values are the `revision` label's in the namespace. */
export const REVISION_VARIABLE = "revision";

/** Every revision: also the lines of pods without one (Loki wants one matcher that is not empty-matching; `namespace` is it). */
const ALL_REVISIONS = ".*";

/** A LogQL string literal. */
const literal = (s: string) => JSON.stringify(s);

/** The environment's log streams of the chosen revision: `{namespace="<ns>", revision=~"$revision"}`. */
export function logsQuery(namespace: string): string {
  const L = LOG_STREAM_LABELS;
  return `{${L.namespace}=${literal(namespace)}, ${L.revision}=~${literal(`$${REVISION_VARIABLE}`)}}`;
}

/** The revision picker: the `revision` label's values in the namespace's streams, or all of them. */
export function revisionVariable(namespace: string, datasource: common.DataSourceRef): dashboard.QueryVariableBuilder {
  const query = `label_values({${LOG_STREAM_LABELS.namespace}=${literal(namespace)}}, ${LOG_STREAM_LABELS.revision})`;
  return new dashboard.QueryVariableBuilder(REVISION_VARIABLE)
    .label("Revision")
    .description("Pod template hash: the canary's and the stable version's, as in the panels by revision.")
    .datasource(datasource)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .includeAll(true)
    .allValue(ALL_REVISIONS)
    .multi(true);
}

/** The logs of the environment's pods of the chosen revision, newest first. */
export function logsPanel(namespace: string, datasource: common.DataSourceRef): logs.PanelBuilder {
  return new logs.PanelBuilder()
    .title("Logs by revision")
    .description(`Log lines of ${namespace}'s pods of the revision picked above (Loki); pick the canary's hash to read it beside its error rate.`)
    .datasource(datasource)
    .targets([new loki.DataqueryBuilder().datasource(datasource).expr(logsQuery(namespace)).refId("A").maxLines(1000)])
    .height(8)
    .span(12)
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None);
}
