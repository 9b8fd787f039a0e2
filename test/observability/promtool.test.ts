import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPrometheusRule, ruleFile } from "../../infra/observability/prometheusRule";
import { ruleTests } from "../../infra/observability/ruleTests";
import { ObservabilitySpec } from "../../infra/observability/spec";
import { production, staging } from "./fixtures";
import { describeWithTool, removeDir, run, writeFiles } from "./tools";

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
  };
}
const dirs: string[] = [];

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
      expect(result.output).toMatch(/SUCCESS: 8 rules found/);
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

    it("test rules fails when a recording rule computes something else", () => {
      const files = promtool(staging(), staging(), (f) => {
        const cfr = f.groups[1].rules?.find((r) => r.record === "agent_hive:change_failure_rate:ratio_7d");
        if (cfr) cfr.expr = String(cfr.expr).replace(/^\(sum/, "(2 * sum");
      });
      const result = files.testRecordings();
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/FAILED:[\s\S]*change_failure_rate/);
    });
  });
});
