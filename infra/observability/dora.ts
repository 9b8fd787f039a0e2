import { METRICS } from "../catalogue/metrics";
import { DORA_RUN_LABEL } from "./doraPush";
import { namespaceSelector } from "./promql";
import { durationSeconds } from "./spec";

/*
 * The four DORA metrics over what pipeline runs push (doraPush.ts says how),
 * recorded once so dashboards and any later alert read the same numbers.
 *
 * Each run pushes its own group, `{namespace=<ns>, run=<id>}`, holding that
 * run's numbers (each counter 1, each histogram this run's observations), and
 * the Pushgateway serves every group until it is deleted. So `increase()` and
 * `rate()` are meaningless here (a run's series never grows), and the rules add
 * runs up instead: a figure over the window is the sum over the runs whose
 * series exist now and did not exist when the window began, i.e.
 *
 *     sum(m{sel} unless on (run) last_over_time(m{sel}[1h] offset 7d))
 *
 * This is "the sum over all runs now minus the same sum 7d ago" counted run by
 * run, and unlike that difference it stays right when
 * - no run existed 7d ago: the `unless` removes nothing, every run counts;
 * - groups older than the window are deleted to bound cardinality, or the
 *   Pushgateway restarts without persistence: lost runs are not counted, but
 *   nothing turns negative, as a difference of totals would;
 * - the Pushgateway pod is replaced: the scrape's target labels (`pod`) change,
 *   but runs are matched on `run` alone, so no run is counted twice;
 * - Prometheus missed scrapes when the window began: the last hour before its
 *   start is searched, not a single instant.
 */

/** The DORA window: a week smooths out the pipeline's bursts. */
export const DORA_WINDOW = "7d";
const DAYS_IN_WINDOW = durationSeconds(DORA_WINDOW) / 86400;

/**
 * How far before the window's start a run's series is looked for: a gap in
 * the Pushgateway's scrapes shorter than this does not make older runs count
 * again. Longer reads more samples per evaluation for nothing.
 */
export const RUN_PRESENCE_LOOKBACK = "1h";

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

/**
 * `metric` of the runs first pushed within the window. Which runs are older is
 * read from `marker`, a series every such run has: for a histogram its
 * `_count`, one series per run rather than one per bucket.
 */
export function runsInWindow(metric: string, namespace: string, marker = metric): string {
  const sel = runSelector(namespace);
  return `${metric}${sel} unless on (${DORA_RUN_LABEL}) last_over_time(${marker}${sel}[${RUN_PRESENCE_LOOKBACK}] offset ${DORA_WINDOW})`;
}

const windowSum = (metric: string, namespace: string, marker = metric) => `sum(${runsInWindow(metric, namespace, marker)})`;

/**
 * A histogram's mean over the window's runs. Runs that observed nothing push
 * count 0 (prometheus_client exports an unobserved histogram), and a week
 * without observations gives no sample instead of NaN (0/0), so a quiet week
 * does not read as a value.
 */
function histogramMean(histogram: string, namespace: string): string {
  const count = `${histogram}_count`;
  return `${windowSum(`${histogram}_sum`, namespace, count)} / (${windowSum(count, namespace)} > 0)`;
}

/**
 * Deployments per day. No run in the window is 0, as long as the environment
 * has pushed runs at all; with none anywhere (a new environment, or the
 * Pushgateway not scraped) there is no sample rather than a made-up 0.
 */
export function deploymentFrequencyExpr(namespace: string): string {
  const any = `sum(${METRICS.deployments}${runSelector(namespace)})`;
  return `(${windowSum(METRICS.deployments, namespace)} or (0 * ${any})) / ${DAYS_IN_WINDOW}`;
}

export function leadTimeP50Expr(namespace: string): string {
  const count = `${METRICS.leadTime}_count`;
  // histogram_quantile over buckets that observed nothing is NaN; `and` drops it instead.
  return (
    `histogram_quantile(0.5, sum by (le) (${runsInWindow(`${METRICS.leadTime}_bucket`, namespace, count)}))` +
    ` and (${windowSum(count, namespace)} > 0)`
  );
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
