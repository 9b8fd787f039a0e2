import type { IAnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import { POD_HASH_METRIC_LABEL, errorRateExpr, guarded, latencyP95Expr, selector } from "../catalogue/metrics";
import type { DeliverySpec } from "./spec";
import { objectLabels } from "./labels";
import { deliveryNames } from "./names";

/** The template argument carrying the new version's pod-template hash. */
export const CANARY_HASH_ARG = "canary-hash";

/** Metric names in the AnalysisRun, as `kubectl argo rollouts get` shows them. */
export const ANALYSIS_METRICS = { errorRate: "error-rate", latencyP95: "latency-p95" } as const;

/**
 * The SLO queries over the new version's pods only: the catalogue's PromQL (the
 * same the alerts and dashboards use), filtered by the pod-template hash Argo
 * passes in, and guarded so a quiet canary with no series reads as healthy
 * instead of failing the analysis on an empty result.
 */
export function analysisQueries(spec: Pick<DeliverySpec, "namespace">): { errorRate: string; latencyP95: string } {
  const sel = selector({ namespace: spec.namespace, [POD_HASH_METRIC_LABEL]: `{{args.${CANARY_HASH_ARG}}}` });
  return { errorRate: guarded(errorRateExpr(sel)), latencyP95: guarded(latencyP95Expr(sel)) };
}

/** `result[0] <= 0.1`: the guarded query always returns exactly one sample. */
export function successCondition(threshold: number): string {
  return `result[0] <= ${threshold}`;
}

export function buildAnalysisTemplate(spec: DeliverySpec): IAnalysisTemplate {
  const names = deliveryNames(spec.service);
  const queries = analysisQueries(spec);
  const a = spec.analysis;
  const metric = (name: string, query: string, threshold: number) => ({
    name,
    interval: a.interval,
    failureLimit: a.failureLimit,
    ...(a.count === undefined ? {} : { count: a.count }),
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
      ],
    },
  };
}
