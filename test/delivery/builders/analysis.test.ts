import { describe, expect, it } from "vitest";
import { analysisQueries, buildAnalysisTemplate, scrapeGraceDelay } from "../../../infra/delivery/builders/analysis";
import { ALL_SPECS, blueGreenSpec, productionSpec } from "../fixtures";
import { promqlErrors } from "../../../policies/lib/promql";

describe("the PromQL check itself", () => {
  it("passes a valid expression and catches a broken one", () => {
    expect(promqlErrors('sum(rate(agent_hive_errors_total{namespace="x"}[5m]))')).toEqual([]);
    expect(promqlErrors("sum(rate(agent_hive_errors_total[5m])")).not.toEqual([]);
    expect(promqlErrors('sum by (le) (rate(x{a="b"}[5m])) >=')).not.toEqual([]);
  });
});

describe.each(ALL_SPECS)("analysis template of %s", (_, spec) => {
  const template = buildAnalysisTemplate(spec);

  it("has queries that parse as PromQL", () => {
    for (const metric of template.spec.metrics) {
      const query = metric.provider.prometheus?.query ?? "";
      expect(query).not.toBe("");
      expect(promqlErrors(query), metric.name).toEqual([]);
    }
  });

  it("measures error rate, p95 latency and that the new pods are scraped, against Prometheus at the configured address", () => {
    expect(template.spec.metrics.map((m) => m.name)).toEqual(["error-rate", "latency-p95", "scraped"]);
    for (const metric of template.spec.metrics) {
      expect(metric.provider.prometheus?.address).toBe(spec.analysis.prometheusAddress);
      expect(metric).toMatchObject({ interval: spec.analysis.interval, failureLimit: spec.analysis.failureLimit });
    }
  });
});

describe("analysis template", () => {
  it("is named after the service and declares the canary-hash argument the Rollout passes", () => {
    const template = buildAnalysisTemplate(productionSpec());
    expect(template.metadata).toMatchObject({ name: "agent-hive-orchestrator-slo", namespace: "agent-hive-production" });
    expect(template.spec.args).toEqual([{ name: "canary-hash" }]);
  });

  it("filters the catalogue's queries to the new version's pods and guards them against empty results", () => {
    const { errorRate, latencyP95 } = analysisQueries(productionSpec());
    const sel = '{namespace="agent-hive-production",rollouts_pod_template_hash="{{args.canary-hash}}"}';
    expect(errorRate).toBe(`((max(sum by (pod) (rate(agent_hive_errors_total${sel}[5m])))) >= 0) or vector(0)`);
    expect(latencyP95).toContain(`agent_hive_response_time_seconds_bucket${sel}`);
    expect(latencyP95).toMatch(/or vector\(0\)$/);
  });

  it("judges the worst canary pod over the alerts' rate window, so the verdict does not change with the weight", () => {
    const { errorRate, latencyP95 } = analysisQueries(productionSpec({ slo: { errorRatePerSecond: 0.1, latencyP95Seconds: 1, rateWindow: "90s" } }));
    for (const q of [errorRate, latencyP95]) {
      expect(q).toContain("max(");
      expect(q).toContain("by (pod");
      expect(q).toContain("[90s]");
    }
  });

  it("passes only at or under the SLO thresholds, and follows them when they change", () => {
    const conditions = (errorRatePerSecond: number) =>
      buildAnalysisTemplate(productionSpec({ slo: { errorRatePerSecond, latencyP95Seconds: 1.5, rateWindow: "5m" } })).spec.metrics.map((m) => m.successCondition);
    expect(conditions(0.1)).toEqual(["result[0] <= 0.1", "result[0] <= 1.5", "result[0] >= 1"]);
    expect(conditions(0.05)).toEqual(["result[0] <= 0.05", "result[0] <= 1.5", "result[0] >= 1"]);
  });

  it("runs in the background without a count for a canary, and counts measurements for blue-green", () => {
    expect(buildAnalysisTemplate(productionSpec()).spec.metrics.every((m) => m.count === undefined)).toBe(true);
    expect(buildAnalysisTemplate(blueGreenSpec()).spec.metrics.map((m) => m.count)).toEqual([5, 5, 5]);
  });

  it("fails a version whose pods are not scraped, after a grace of two intervals", () => {
    const scraped = buildAnalysisTemplate(productionSpec()).spec.metrics.find((m) => m.name === "scraped");
    expect(scraped?.provider.prometheus?.query).toBe('(sum(up{namespace="agent-hive-production",rollouts_pod_template_hash="{{args.canary-hash}}"} == 1)) or vector(0)');
    expect(scraped?.successCondition).toBe("result[0] >= 1");
    expect(scrapeGraceDelay("1m")).toBe("120s");
    expect(scrapeGraceDelay("30s")).toBe("60s");
    expect(scrapeGraceDelay("1m30s")).toBe("180s");
  });
});
