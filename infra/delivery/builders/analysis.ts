import type { IAnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import { durationSeconds } from "../../catalogue/duration";
import { POD_HASH_METRIC_LABEL, errorRateExpr, guarded, latencyP95Expr, scrapedTargetsExpr, selector } from "../../catalogue/metrics";
import type { DeliverySpec } from "../spec";
import { objectLabels } from "./labels";
import { deliveryNames } from "./names";

/** The template argument carrying the new version's pod-template hash. */
export const CANARY_HASH_ARG = "canary-hash";

/** Metric names in the AnalysisRun, as `kubectl argo rollouts get` shows them. */
export const ANALYSIS_METRICS = { errorRate: "error-rate", latencyP95: "latency-p95", scraped: "scraped" } as const;

/**
 * The SLO queries over the new version's pods only, judged like the alerts on
 * the worst pod, so the verdict does not change with the canary's weight: the catalogue's PromQL (the
 * same the alerts and dashboards use), filtered by the pod-template hash Argo
 * passes in, and guarded so a quiet canary with no series reads as healthy
 * instead of failing the analysis on an empty result.
 */
export function analysisQueries(spec: Pick<DeliverySpec, "namespace" | "slo">): { errorRate: string; latencyP95: string; scraped: string } {
  const sel = selector({ namespace: spec.namespace, [POD_HASH_METRIC_LABEL]: `{{args.${CANARY_HASH_ARG}}}` });
  const window = spec.slo.rateWindow;
  return {
    errorRate: guarded(errorRateExpr(sel, window)),
    latencyP95: guarded(latencyP95Expr(sel, window)),
    scraped: `(${scrapedTargetsExpr(sel)}) or vector(0)`,
  };
}

/**
 * The guards above read "no data" as healthy, so a broken scrape or a label
 * drift would pass every release. This check closes that: the new version's
 * pods must be scraped targets that answer. It waits two intervals first, for
 * the pods to start and be scraped once.
 */
export function scrapeGraceDelay(interval: string): string {
  return `${Math.ceil(2 * durationSeconds(interval))}s`;
}

/** `result[0] <= 0.1`: the guarded query always returns exactly one sample. */
export function successCondition(threshold: number): string {
  return `result[0] <= ${threshold}`;
}

export function buildAnalysisTemplate(spec: DeliverySpec): IAnalysisTemplate {
  const names = deliveryNames(spec.service);
  const queries = analysisQueries(spec);
  const a = spec.analysis;
  const count = spec.strategy.analysisCount;
  const metric = (name: string, query: string, threshold: number) => ({
    name,
    interval: a.interval,
    failureLimit: a.failureLimit,
    ...(count === undefined ? {} : { count }),
    successCondition: successCondition(threshold),
    provider: { prometheus: { address: a.prometheusAddress, query } },
  });
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: { name: names.analysisTemplate, namespace: spec.namespace, labels: objectLabels(spec) },
    spec: {
      args: [{ name: CANARY_HASH_ARG }],
      metrics: [
        metric(ANALYSIS_METRICS.errorRate, queries.errorRate, spec.slo.errorRatePerSecond),
        metric(ANALYSIS_METRICS.latencyP95, queries.latencyP95, spec.slo.latencyP95Seconds),
        {
          ...metric(ANALYSIS_METRICS.scraped, queries.scraped, 0),
          initialDelay: scrapeGraceDelay(a.interval),
          successCondition: "result[0] >= 1",
        },
      ],
    },
  };
}
