import { METRICS } from "../catalogue/metrics";
import { namespaceSelector } from "./promql";

/*
 * The four DORA metrics over the pipeline's counters and histograms (the
 * guide's metrics/dora_metrics.py), recorded once so dashboards and any later
 * alert read the same numbers. The pipeline pushes them to the Pushgateway
 * with the grouping key `namespace=<environment's namespace>`, which is what
 * the selectors here match.
 */

/** The DORA window: a week smooths out the pipeline's bursts. */
export const DORA_WINDOW = "7d";
const DAYS_IN_WINDOW = 7;

/** Recorded series, named `level:metric:operations`. */
export const DORA_RECORDS = {
  deploymentFrequency: "agent_hive:deployment_frequency:per_day_7d",
  leadTimeP50: "agent_hive:lead_time_seconds:p50_7d",
  leadTimeMean: "agent_hive:lead_time_seconds:mean_7d",
  changeFailureRate: "agent_hive:change_failure_rate:ratio_7d",
  timeToRestoreMean: "agent_hive:time_to_restore_seconds:mean_7d",
} as const;

export type DoraRecord = keyof typeof DORA_RECORDS;

const increase = (metric: string, namespace: string) => `increase(${metric}${namespaceSelector(namespace)}[${DORA_WINDOW}])`;

/**
 * A histogram's mean over the window. A week without observations gives no
 * sample instead of NaN (0/0), so a quiet week does not read as a value.
 */
function histogramMean(histogram: string, namespace: string): string {
  return `sum(${increase(`${histogram}_sum`, namespace)}) / (sum(${increase(`${histogram}_count`, namespace)}) > 0)`;
}

export function deploymentFrequencyExpr(namespace: string): string {
  return `sum(${increase(METRICS.deployments, namespace)}) / ${DAYS_IN_WINDOW}`;
}

export function leadTimeP50Expr(namespace: string): string {
  // histogram_quantile of an empty week is NaN; `and` drops it instead.
  return (
    `histogram_quantile(0.5, sum by (le) (${increase(`${METRICS.leadTime}_bucket`, namespace)}))` +
    ` and (sum(${increase(`${METRICS.leadTime}_count`, namespace)}) > 0)`
  );
}

export function leadTimeMeanExpr(namespace: string): string {
  return histogramMean(METRICS.leadTime, namespace);
}

/**
 * Failed over all deployments. No failure counted yet is 0 (the failure counter
 * may not exist before the first failure); no deployment at all is no sample,
 * never a division by zero.
 */
export function changeFailureRateExpr(namespace: string): string {
  return `(sum(${increase(METRICS.failedDeployments, namespace)}) or vector(0)) / (sum(${increase(METRICS.deployments, namespace)}) > 0)`;
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
