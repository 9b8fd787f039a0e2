import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { describe, expect, it } from "vitest";
import { METRICS } from "../../../infra/catalogue/metrics";
import { alertDefinitions } from "../../../infra/observability/builders/alerts";
import { DORA_RECORDS } from "../../../infra/observability/builders/dora";
import { ALERT_GROUP, DORA_GROUP, buildPrometheusRule, ruleFile } from "../../../infra/observability/builders/prometheus-rule";
import { bucketQuantile } from "../dora-tests";
import { goFloat, ruleTests } from "../rule-tests";
import { production, staging } from "../fixtures";

const group = (spec = staging(), name: string) => buildPrometheusRule(spec).spec.groups?.find((g) => g.name === name);
const alert = (spec: ReturnType<typeof staging>, name: string) => group(spec, ALERT_GROUP)?.rules?.find((r) => r.alert === name);

describe("the PrometheusRule", () => {
  it("is a valid monitoring.coreos.com/v1 PrometheusRule the operator selects", () => {
    for (const spec of [staging(), production()]) {
      const rule = buildPrometheusRule(spec);
      expect(() => new PrometheusRule(rule).validate()).not.toThrow();
      expect(rule.metadata?.namespace).toBe(spec.namespace);
      expect(rule.metadata?.labels).toMatchObject({ release: "kube-prometheus-stack", environment: spec.environment, team: "platform" });
    }
  });

  it("keeps alerts and recording rules in separate groups", () => {
    const groups = buildPrometheusRule(staging()).spec.groups ?? [];
    expect(groups.map((g) => g.name)).toEqual([ALERT_GROUP, DORA_GROUP]);
    expect(groups[0].rules?.every((r) => r.alert && !r.record)).toBe(true);
    expect(groups[1].rules?.every((r) => r.record && !r.alert)).toBe(true);
  });
});

describe("alerts", () => {
  it("compare the catalogue's SLO queries in the namespace with the spec's thresholds", () => {
    const spec = production();
    expect(alert(spec, "HighErrorRate")?.expr).toBe('max(sum by (pod) (rate(agent_hive_errors_total{namespace="agent-hive-production"}[5m]))) > 0.1');
    expect(alert(spec, "HighResponseTime")?.expr).toBe(
      'max(histogram_quantile(0.95, sum by (pod, le) (rate(agent_hive_response_time_seconds_bucket{namespace="agent-hive-production"}[5m])))) > 1',
    );
    expect(alert(spec, "LowAgentCount")?.expr).toBe('(min(agent_hive_active_agents{namespace="agent-hive-production"}) or vector(0)) < 3');
    expect(alert(spec, "MetricsAbsent")?.expr).toBe('absent(up{namespace="agent-hive-production"} == 1)');
  });

  it("judge the worst pod, so the threshold does not shrink as replicas grow", () => {
    // The guide's rule fires per series (per pod); a sum over pods would not.
    for (const expr of [alert(production(), "HighErrorRate")?.expr, alert(production(), "HighResponseTime")?.expr]) {
      expect(expr).toMatch(/^max\(/);
      expect(expr).toContain("by (pod");
      expect(expr).not.toMatch(/^sum\(/);
    }
  });

  it("take the rate window from the spec", () => {
    const short = production({ slo: { ...production().slo, rateWindow: "30s" } });
    expect(alert(short, "HighErrorRate")?.expr).toContain("[30s]");
    expect(alert(short, "HighResponseTime")?.expr).toContain("[30s]");
  });

  it("take for and severity per environment", () => {
    expect(alert(staging(), "HighErrorRate")).toMatchObject({ for: "10m", labels: { severity: "warning" } });
    expect(alert(production(), "HighErrorRate")).toMatchObject({ for: "5m", labels: { severity: "warning" } });
    expect(alert(production(), "LowAgentCount")).toMatchObject({ for: "1m", labels: { severity: "critical" } });
  });

  it("carry severity, environment and namespace labels, and summary, description with $value, runbook", () => {
    const rules = group(production(), ALERT_GROUP)?.rules ?? [];
    expect(Object.fromEntries(rules.map((r) => [r.alert, r.annotations?.summary]))).toEqual({
      HighErrorRate: "High error rate in agent-hive-production",
      HighResponseTime: "High response time in agent-hive-production",
      LowAgentCount: "Low agent count in agent-hive-production",
      MetricsAbsent: "No metrics in agent-hive-production",
    });
    for (const rule of rules) {
      expect(rule.labels).toEqual({ severity: expect.any(String), environment: "production", namespace: "agent-hive-production" });
      // MetricsAbsent's value is always 1: it says what is missing instead.
      if (rule.alert !== "MetricsAbsent") expect(rule.annotations?.description).toContain("{{ $value }}");
      expect(rule.annotations?.runbook_url).toBe(`https://runbooks.leanvibe.dev/agent-hive/${rule.alert?.toLowerCase()}`);
    }
  });

  it("follow slo.latencyP95Seconds and slo.errorRatePerSecond", () => {
    const stricter = staging({ slo: { ...staging().slo, latencyP95Seconds: 0.25, errorRatePerSecond: 0.05 } });
    expect(alert(stricter, "HighResponseTime")?.expr).toMatch(/> 0\.25$/);
    expect(alert(stricter, "HighErrorRate")?.expr).toMatch(/> 0\.05$/);
    expect(alert(staging(), "HighResponseTime")?.expr).toMatch(/> 1$/);
    expect(alert(staging(), "HighErrorRate")?.expr).toMatch(/> 0\.1$/);
  });

  it("leave out LowAgentCount when there is no minimum, since it could never fire", () => {
    const none = staging({ slo: { ...staging().slo, minActiveAgents: 0 } });
    expect(alertDefinitions(none).map((a) => a.alert)).toEqual(["HighErrorRate", "HighResponseTime", "MetricsAbsent"]);
    expect(ruleTests(none).alerts.tests.some((t) => t.name.startsWith("LowAgentCount"))).toBe(false);
  });

  // A `for` Prometheus would refuse is refused at the config edge (observability.alerts.<alert>.for, test/config/bad-configs.test.ts).
});

describe("DORA recording rules", () => {
  const records = (spec = staging()) => group(spec, DORA_GROUP)?.rules ?? [];

  it("are named level:metric:operations and labelled with their environment", () => {
    expect(records().map((r) => r.record)).toEqual(Object.values(DORA_RECORDS));
    for (const r of records()) {
      expect(r.record).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
      expect(r.labels).toEqual({ namespace: "agent-hive-staging", environment: "staging" });
    }
  });

  it("read only the catalogue's pipeline metrics, per pushed run of the namespace", () => {
    const histograms = [METRICS.leadTime, METRICS.recoveryTime].flatMap((h) => ["_bucket", "_sum", "_count"].map((s) => h + s));
    const known = new Set<string>([METRICS.deployments, METRICS.failedDeployments, METRICS.deploymentTimestamp, ...histograms]);
    for (const r of records()) {
      const selections = [...String(r.expr).matchAll(/([a-z_:]+)\{([^}]*)\}/g)];
      expect(selections.length, String(r.expr)).toBeGreaterThan(0);
      for (const [, metric, matchers] of selections) {
        expect(known.has(metric), metric).toBe(true);
        // The run label: series of the old fixed grouping key are not a run.
        expect(matchers).toMatch(/^namespace="agent-hive-staging",run!=""(,status="success")?$/);
      }
    }
  });

  it("add up the runs whose own deploy time is within 7d, with no offset and no increase() or rate() of a series that never grows", () => {
    for (const r of records()) {
      const expr = String(r.expr);
      expect(expr).not.toMatch(/\b(increase|rate|irate|delta)\(|offset/);
      const windows = [...expr.matchAll(/and on \(run\) \(agent_hive_deployment_timestamp_seconds\{[^}]*\} > time\(\) - 604800\)/g)];
      expect(windows.length, expr).toBeGreaterThan(0);
      // Every selection is either a window's runs or the "any run at all" guard of the frequency.
      expect([...expr.matchAll(/\{[^}]*\}/g)].length).toBe(2 * windows.length + (r.record === DORA_RECORDS.deploymentFrequency ? 1 : 0));
    }
  });

  it("guard the change failure rate against division by zero", () => {
    const cfr = records().find((r) => r.record === DORA_RECORDS.changeFailureRate)?.expr;
    expect(cfr).toMatch(/ \/ \(sum\(agent_hive_deployments_total\{[^}]*\} and on \(run\) \([^)]*\(\) - 604800\)\) > 0\)$/);
  });

  it("count successful deploys only as deployment frequency, 0 in a window without any where the environment has pushed runs at all", () => {
    const frequency = String(records().find((r) => r.record === DORA_RECORDS.deploymentFrequency)?.expr);
    expect(frequency).toMatch(/^\(sum\(agent_hive_deployments_total\{namespace="agent-hive-staging",run!="",status="success"\}/);
    expect(frequency).toMatch(/ or \(0 \* count\(agent_hive_deployment_timestamp_seconds\{namespace="agent-hive-staging",run!=""\}\)\)\) \/ 7$/);
  });
});

describe("the DORA rule tests", () => {
  const groups = ruleTests(staging()).recordings.tests;

  it("feed every run as its own series: absent until its push, then constant, with its own run label", () => {
    const deployments = groups[0].input_series.filter((s) => s.series.startsWith(`${METRICS.deployments}{`));
    const runs = new Set(deployments.map((s) => /run="([^"]+)"/.exec(s.series)?.[1]));
    expect(runs.size).toBe(deployments.length);
    for (const s of deployments) {
      expect(s.series).toMatch(/namespace="agent-hive-staging"/);
      expect(s.series).toMatch(/job="agent-hive-pipeline"/);
      expect(s.values).toMatch(/^(_x\d+ )?1x\d+$/);
    }
  });

  it("include a week with no runs, where the frequency is 0 and the other figures have no sample", () => {
    const quiet = groups.find((g) => /a week with no runs/.test(g.name));
    const atTwoWeeks = (quiet?.promql_expr_test ?? []).filter((t) => t.eval_time === "336h");
    expect(atTwoWeeks.map((t) => [t.expr.split("{")[0], t.exp_samples.map((x) => x.value)])).toEqual([
      [DORA_RECORDS.deploymentFrequency, [0]],
      [DORA_RECORDS.leadTimeP50, []],
      [DORA_RECORDS.leadTimeMean, []],
      [DORA_RECORDS.changeFailureRate, []],
      [DORA_RECORDS.timeToRestoreMean, []],
    ]);
  });

  it("expect each window's figures from the runs pushed in it", () => {
    const busy = groups[0].promql_expr_test ?? [];
    const value = (record: string, at: string) => busy.find((t) => t.expr.startsWith(`${record}{`) && t.eval_time === at)?.exp_samples[0]?.value;
    // Week 1: 6 runs, 2 failed, lead times 4000-7000 s; week 2: 14 runs, 2 failed, lead times 700-1600 s.
    // Frequency counts the successful ones.
    expect(value(DORA_RECORDS.deploymentFrequency, "168h")).toBe(4 / 7);
    expect(value(DORA_RECORDS.changeFailureRate, "168h")).toBe(2 / 6);
    expect(value(DORA_RECORDS.leadTimeMean, "168h")).toBe(5500);
    expect(value(DORA_RECORDS.deploymentFrequency, "336h")).toBe(12 / 7);
    expect(value(DORA_RECORDS.changeFailureRate, "336h")).toBe(2 / 14);
    expect(value(DORA_RECORDS.leadTimeMean, "336h")).toBe(1150);
    expect(value(DORA_RECORDS.leadTimeP50, "336h")).toBe(1200);
  });
});

describe("bucketQuantile, the tests' model of histogram_quantile", () => {
  it("interpolates inside the bucket that holds the rank, as Prometheus does", () => {
    expect(bucketQuantile(0.5, [300, 600, 1800], [700, 1000, 1300, 1600])).toBe(1200);
    expect(bucketQuantile(0.5, [100, 200], [50, 150, 150, 150])).toBe(100 + 100 * (1 / 3));
    expect(bucketQuantile(0.5, [100, 200], [500, 500])).toBe(200);
    expect(bucketQuantile(0.5, [100], [])).toBeNaN();
  });
});

describe("ruleFile", () => {
  it("is the PrometheusRule's groups, exactly", () => {
    const rule = buildPrometheusRule(production());
    expect(ruleFile(rule)).toEqual({ groups: rule.spec.groups });
    expect(ruleFile(rule).groups).not.toBe(rule.spec.groups);
  });
});

describe("ruleTests", () => {
  it("has a firing and a healthy case per alert of the rule, and tests every DORA recording rule", () => {
    const spec = production();
    const tests = ruleTests(spec);
    for (const { alert: a } of alertDefinitions(spec)) {
      const cases = tests.alerts.tests.filter((t) => t.name.startsWith(a)).flatMap((t) => t.alert_rule_test ?? []);
      expect(cases.some((c) => c.exp_alerts.length === 1), a).toBe(true);
      expect(cases.some((c) => c.exp_alerts.length === 0), a).toBe(true);
    }
    const tested = new Set(tests.recordings.tests.flatMap((t) => t.promql_expr_test ?? []).map((t) => t.expr.split("{")[0]));
    expect([...tested].sort()).toEqual(Object.values(DORA_RECORDS).sort());
  });

  it("expects the exact labels and annotations of the rule", () => {
    const spec = production();
    const firing = ruleTests(spec)
      .alerts.tests.flatMap((t) => t.alert_rule_test ?? [])
      .find((c) => c.alertname === "LowAgentCount" && c.exp_alerts.length > 0);
    expect(firing?.exp_alerts[0]).toEqual({
      exp_labels: { alertname: "LowAgentCount", severity: "critical", environment: "production", namespace: "agent-hive-production" },
      exp_annotations: {
        summary: "Low agent count in agent-hive-production",
        description: "Only 2 agents are active (minimum: 3); 0 means no pod reports at all.",
        runbook_url: "https://runbooks.leanvibe.dev/agent-hive/lowagentcount",
      },
    });
    expect(firing?.eval_time).toBe("1m");
  });
});

describe("goFloat renders values as Prometheus's {{ $value }} does", () => {
  it.each([
    [2, "2"],
    [0.1, "0.1"],
    [0.10333333333333333, "0.10333333333333333"],
    [123456, "123456"],
    [1234567, "1.234567e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1e21, "1e+21"],
  ])("%s -> %s", (value, text) => {
    expect(goFloat(value)).toBe(text);
  });
});
