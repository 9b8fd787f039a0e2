import { describe, expect, it } from "vitest";
import { allExpressions } from "../expressions";
import { production, staging } from "../fixtures";
import { promqlErrors } from "../../../policies/lib/promql";

describe.each([
  ["staging", staging()],
  ["production", production()],
])("PromQL of %s", (_name, spec) => {
  const exprs = allExpressions(spec);

  it("covers the alerts, the DORA recordings and the dashboard targets", () => {
    const where = exprs.map((e) => e.where).join("\n");
    expect(where).toMatch(/HighErrorRate/);
    expect(where).toMatch(/agent_hive:change_failure_rate:ratio_7d/);
    expect(where).toMatch(/Deployment Frequency/);
    expect(where).toMatch(/Canary progress/);
    expect(exprs.length).toBeGreaterThanOrEqual(3 + 5 + 9);
  });

  it("parses everywhere", () => {
    const broken = exprs.map((e) => ({ ...e, errors: promqlErrors(e.expr) })).filter((e) => e.errors.length > 0);
    expect(broken, JSON.stringify(broken, null, 2)).toEqual([]);
  });
});

describe("the PromQL check itself", () => {
  it("catches a broken expression", () => {
    expect(promqlErrors("sum(rate(agent_hive_errors_total[5m]) > 0.1")).not.toEqual([]);
    expect(promqlErrors('sum(rate(agent_hive_errors_total{namespace="x"}[5m])) > 0.1')).toEqual([]);
  });
});
