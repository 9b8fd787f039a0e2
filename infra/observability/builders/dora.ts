import { METRICS, selector } from "../../catalogue/metrics";
import { DORA_RUN_LABEL } from "./dora-push";
import { namespaceSelector } from "./promql";
import { durationSeconds } from "../../catalogue/duration";

/*
 * The four DORA metrics over what pipeline runs push (dora-push.ts says how),
 * recorded once so dashboards and any later alert read the same numbers.
 *
 * Each run pushes its own group, `{namespace=<ns>, run=<id>}`, holding that
 * run's numbers (each counter 1, each histogram this run's observations) and
 * its deploy time, and the Pushgateway serves every group until it is deleted.
 * So `increase()` and `rate()` are meaningless here (a run's series never
 * grows): the rules add up the runs whose own deploy time is in the window,
 *
 *     sum(m{sel} and on (run) (agent_hive_deployment_timestamp_seconds{sel} > time() - 7d))
 *
 * This needs no history in Prometheus at all, only what the Pushgateway holds
 * now, so the figures
 * - survive a Prometheus restart on an empty data directory (an `offset 7d`
 *   window would count every old run as new for a week after one);
 * - do not grow with retention: a run older than the window drops out whether
 *   or not its group is still there;
 * - count a run once however often it was pushed (a re-run replaces its group)
 *   and whichever Pushgateway pod serves it (runs are matched on `run` alone).
 * The Pushgateway's own storage (persistence, add-on config) keeps runs across
 * its restarts; without it the figures undercount, never turn negative.
 *
 * Definitions, stated on the dashboard too: deployment frequency counts
 * successful deploys per day; change failure rate is failed deploys over all
 * deploys; lead time is commit to successful deploy; time to restore runs from
 * an environment's first failed deploy to its next successful one.
 */

/** The DORA window: a week smooths out the pipeline's bursts. */
export const DORA_WINDOW = "7d";
const DAYS_IN_WINDOW = durationSeconds(DORA_WINDOW) / 86400;

/** Recorded series, named `level:metric:operations`. */
export const DORA_RECORDS = {
  deploymentFrequency: "agent_hive:deployment_frequency:per_day_7d",
  leadTimeP50: "agent_hive:lead_time_seconds:p50_7d",
  leadTimeMean: "agent_hive:lead_time_seconds:mean_7d",
  changeFailureRate: "agent_hive:change_failure_rate:ratio_7d",
  timeToRestoreMean: "agent_hive:time_to_restore_seconds:mean_7d",
} as const;

export type DoraRecord = keyof typeof DORA_RECORDS;

/**
 * One environment's pushed runs: its namespace, and a `run` label, so series
 * pushed under the old fixed grouping key (one group overwritten by every
 * push) are not mistaken for a run.
 */
export function runSelector(namespace: string): string {
  return namespaceSelector(namespace).replace(/\}$/, `,${DORA_RUN_LABEL}!=""}`);
}

const WINDOW_SECONDS = durationSeconds(DORA_WINDOW);

/** `metric` (with extra matchers) of the runs whose own deploy time is within the window. */
export function runsInWindow(metric: string, namespace: string, matchers: Readonly<Record<string, string>> = {}): string {
  const sel = runSelector(namespace);
  const metricSel = Object.keys(matchers).length === 0 ? sel : sel.replace(/\}$/, `,${selector(matchers).slice(1)}`);
  return `${metric}${metricSel} and on (${DORA_RUN_LABEL}) (${METRICS.deploymentTimestamp}${sel} > time() - ${WINDOW_SECONDS})`;
}

const windowSum = (metric: string, namespace: string, matchers: Readonly<Record<string, string>> = {}) => `sum(${runsInWindow(metric, namespace, matchers)})`;

/**
 * A histogram's mean over the window's runs. Runs that observed nothing push
 * count 0 (prometheus_client exports an unobserved histogram), and a week
 * without observations gives no sample instead of NaN (0/0), so a quiet week
 * does not read as a value.
 */
function histogramMean(histogram: string, namespace: string): string {
  return `${windowSum(`${histogram}_sum`, namespace)} / (${windowSum(`${histogram}_count`, namespace)} > 0)`;
}

/**
 * Successful deployments per day. No success in the window is 0, as long as
 * the environment has pushed runs at all; with none anywhere (a new
 * environment, or the Pushgateway not scraped) there is no sample rather than
 * a made-up 0.
 */
export function deploymentFrequencyExpr(namespace: string): string {
  const any = `count(${METRICS.deploymentTimestamp}${runSelector(namespace)})`;
  return `(${windowSum(METRICS.deployments, namespace, { status: "success" })} or (0 * ${any})) / ${DAYS_IN_WINDOW}`;
}

export function leadTimeP50Expr(namespace: string): string {
  const count = `${METRICS.leadTime}_count`;
  // histogram_quantile over buckets that observed nothing is NaN; `and` drops it instead.
  return `histogram_quantile(0.5, sum by (le) (${runsInWindow(`${METRICS.leadTime}_bucket`, namespace)})) and (${windowSum(count, namespace)} > 0)`;
}

export function leadTimeMeanExpr(namespace: string): string {
  return histogramMean(METRICS.leadTime, namespace);
}

/**
 * Failed over all deployments of the window's runs. A run pushes the failure
 * counter only when it failed, so a window without failures has none: that is
 * 0. No deployment at all is no sample, never a division by zero.
 */
export function changeFailureRateExpr(namespace: string): string {
  return `(${windowSum(METRICS.failedDeployments, namespace)} or vector(0)) / (${windowSum(METRICS.deployments, namespace)} > 0)`;
}

export function timeToRestoreMeanExpr(namespace: string): string {
  return histogramMean(METRICS.recoveryTime, namespace);
}

export const DORA_EXPRS: Record<DoraRecord, (namespace: string) => string> = {
  deploymentFrequency: deploymentFrequencyExpr,
  leadTimeP50: leadTimeP50Expr,
  leadTimeMean: leadTimeMeanExpr,
  changeFailureRate: changeFailureRateExpr,
  timeToRestoreMean: timeToRestoreMeanExpr,
};
