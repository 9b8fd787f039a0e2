import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { METRICS } from "../../../infra/catalogue/metrics";
import { DORA_RECORDS, DORA_EXPRS, DoraRecord } from "../../../infra/observability/builders/dora";
import { DORA_GROUP, buildPrometheusRule, ruleFile } from "../../../infra/observability/builders/prometheus-rule";
import { ruleTests } from "../rule-tests";
import { ObservabilitySpec } from "../../../infra/observability/spec";
import { production, staging } from "../fixtures";
import { describeWithTool, removeDir, run, writeFiles } from "../tools";

/**
 * Writes an environment's rule file and generated tests, as the operator and
 * promtool would read them, and runs promtool on them. `rulesSpec` and
 * `testsSpec` differ only when a test deliberately breaks the agreement.
 */
function promtool(rulesSpec: ObservabilitySpec, testsSpec: ObservabilitySpec = rulesSpec, edit: (file: ReturnType<typeof ruleFile>) => void = () => {}) {
  const rules = ruleFile(buildPrometheusRule(rulesSpec));
  edit(rules);
  const tests = ruleTests(testsSpec, ["rules.yml"]);
  const dir = writeFiles({ "rules.yml": rules, "alerts.test.yml": tests.alerts, "recordings.test.yml": tests.recordings });
  dirs.push(dir);
  return {
    check: () => run("promtool", ["check", "rules", "rules.yml"], dir),
    test: () => run("promtool", ["test", "rules", "alerts.test.yml", "recordings.test.yml"], dir),
    testAlerts: () => run("promtool", ["test", "rules", "alerts.test.yml"], dir),
    testRecordings: () => run("promtool", ["test", "rules", "recordings.test.yml"], dir),
    /** Only the DORA scenarios whose name matches: promtool's report names times, not test groups. */
    testScenarios: (name: RegExp) => {
      const only = { ...tests.recordings, tests: tests.recordings.tests.filter((t) => name.test(t.name)) };
      expect(only.tests.length, String(name)).toBeGreaterThan(0);
      fs.writeFileSync(path.join(dir, "scenarios.test.yml"), stringify(only, { lineWidth: 0 }));
      return run("promtool", ["test", "rules", "scenarios.test.yml"], dir);
    },
  };
}
const dirs: string[] = [];

/** Replaces DORA recording rules' expressions in a rule file, by record. */
const withDora = (exprs: Partial<Record<DoraRecord, string>>) => (file: ReturnType<typeof ruleFile>) => {
  for (const rule of file.groups.find((g) => g.name === DORA_GROUP)?.rules ?? []) {
    const key = (Object.keys(DORA_RECORDS) as DoraRecord[]).find((k) => DORA_RECORDS[k] === rule.record);
    const expr = key && exprs[key];
    if (expr) rule.expr = expr;
  }
};

describeWithTool("promtool", "promtool on the generated rules and tests", () => {
  afterAll(() => dirs.forEach(removeDir));

  describe.each([
    ["staging-like", staging()],
    ["production-like", production()],
  ])("%s", (_name, spec) => {
    let files: ReturnType<typeof promtool>;
    beforeAll(() => {
      files = promtool(spec);
    });

    it("promtool check rules accepts the rule file", () => {
      const result = files.check();
      expect(result.ok, result.output).toBe(true);
      // 4 alerts and 5 DORA recordings.
      expect(result.output).toMatch(/SUCCESS: 9 rules found/);
    });

    it("promtool test rules passes: alerts fire after `for` above the threshold, stay quiet below; DORA numbers are right", () => {
      const result = files.test();
      expect(result.ok, result.output).toBe(true);
    });
  });

  describe("the checks can fail", () => {
    it("check rules rejects a broken expression", () => {
      const files = promtool(staging(), staging(), (f) => {
        const rule = f.groups[0].rules?.[0];
        if (rule) rule.expr = "sum(rate(agent_hive_errors_total[5m]) > 0.1";
      });
      const result = files.check();
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/parse error|unclosed left parenthesis/);
    });

    it("test rules fails when the tests expect another latency threshold than the rule has", () => {
      const spec = staging();
      const result = promtool(spec, staging({ slo: { ...spec.slo, latencyP95Seconds: spec.slo.latencyP95Seconds * 3 } })).testAlerts();
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/FAILED:[\s\S]*HighResponseTime/);
    });

    it("test rules fails when the tests expect another error-rate threshold than the rule has", () => {
      const spec = production();
      const result = promtool(spec, production({ slo: { ...spec.slo, errorRatePerSecond: spec.slo.errorRatePerSecond / 4 } })).testAlerts();
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/FAILED:[\s\S]*HighErrorRate/);
    });

    it("test rules fails when the rule's `for` is not the one the tests expect", () => {
      const spec = staging();
      const result = promtool(spec, staging({ alerts: { ...spec.alerts, lowAgentCount: { for: "15m", severity: "warning" } } })).testAlerts();
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/FAILED:[\s\S]*LowAgentCount/);
    });

    it("test rules fails on the old rules, which took increase() of series a one-off job pushes as 1 and never grows", () => {
      const ns = staging().namespace;
      const increase = (metric: string) => `sum(increase(${metric}{namespace="${ns}"}[7d]))`;
      const files = promtool(
        staging(),
        staging(),
        withDora({
          deploymentFrequency: `${increase(METRICS.deployments)} / 7`,
          leadTimeMean: `${increase(`${METRICS.leadTime}_sum`)} / (${increase(`${METRICS.leadTime}_count`)} > 0)`,
          changeFailureRate: `(${increase(METRICS.failedDeployments)} or vector(0)) / (${increase(METRICS.deployments)} > 0)`,
        }),
      );
      const result = files.testScenarios(/two weeks of per-run pushes/);
      expect(result.ok).toBe(false);
      // Every run's series is 1 from its push on: increase() sees no growth.
      expect(result.output).toMatch(/deployment_frequency[^\n]*time: 2w,\s+exp: [^\n]*\s+got: [^\n]* 0E\+00/);
    });

    it("test rules fails when runs are matched on all their labels, so no run is in any window", () => {
      const ns = staging().namespace;
      const files = promtool(staging(), staging(), withDora({ deploymentFrequency: DORA_EXPRS.deploymentFrequency(ns).split("and on (run)").join("and") }));
      const result = files.testScenarios(/two weeks of per-run pushes/);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/deployment_frequency/);
    });

    it("test rules fails on the earlier window by first sight (`unless ... offset 7d`), which counts every old run as new after Prometheus restarts on an empty disk", () => {
      const ns = staging().namespace;
      const sel = `{namespace="${ns}",run!=""}`;
      const firstSeen = `sum(${METRICS.deployments}{namespace="${ns}",run!="",status="success"} unless on (run) last_over_time(${METRICS.deployments}${sel}[1h] offset 7d))`;
      const files = promtool(staging(), staging(), withDora({ deploymentFrequency: `(${firstSeen} or (0 * count(${METRICS.deploymentTimestamp}${sel}))) / 7` }));
      // It passes where Prometheus kept its history...
      expect(files.testScenarios(/two weeks of per-run pushes/).ok).toBe(true);
      // ...and fails after the restart: both weeks' runs count.
      const result = files.testScenarios(/Prometheus restarts on an empty disk/);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/deployment_frequency/);
    });

    it("test rules fails on a difference of totals (now minus 7d ago), which turns negative once a Pushgateway restart loses runs", () => {
      const total = (offset: string) => `sum(${METRICS.deployments}{namespace="${staging().namespace}",run!=""}${offset})`;
      const files = promtool(staging(), staging(), withDora({ deploymentFrequency: `(${total("")} - (${total(" offset 7d")} or vector(0))) / 7` }));
      const result = files.testScenarios(/restart without persistence/);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/deployment_frequency[^\n]*\s+exp: [^\n]*\s+got: [^\n]* -\d/);
    });

    it("test rules fails when deployment frequency counts failed deploys too", () => {
      const ns = staging().namespace;
      const files = promtool(staging(), staging(), withDora({ deploymentFrequency: DORA_EXPRS.deploymentFrequency(ns).replace(',status="success"', "") }));
      const result = files.testScenarios(/two weeks of per-run pushes/);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/deployment_frequency/);
    });

    it("test rules fails when a recording rule computes something else", () => {
      const ns = staging().namespace;
      const files = promtool(staging(), staging(), withDora({ changeFailureRate: DORA_EXPRS.changeFailureRate(ns).replace(/^\(sum/, "(2 * sum") }));
      const result = files.testScenarios(/two weeks of per-run pushes/);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/FAILED:[\s\S]*change_failure_rate/);
    });
  });
});
