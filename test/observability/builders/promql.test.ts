import { describe, expect, it } from "vitest";
import { alertDefinitions } from "../../../infra/observability/builders/alerts";
import { dashboards } from "../../../infra/observability/builders/dashboards/config-map";
import { DORA_RECORDS } from "../../../infra/observability/builders/dora";
import { ALERT_GROUP, DORA_GROUP } from "../../../infra/observability/builders/prometheus-rule";
import { allExpressions } from "../expressions";
import { production, staging } from "../fixtures";
import { promqlErrors } from "../../../policies/lib/promql";

describe.each([
  ["staging", staging()],
  ["production", production()],
])("PromQL of %s", (_name, spec) => {
  const exprs = allExpressions(spec);

  it("covers every alert, every DORA recording and both dashboards' targets", () => {
    const where = exprs.map((e) => e.where);
    expect(where).toEqual(
      expect.arrayContaining([
        ...alertDefinitions(spec).map((a) => `${ALERT_GROUP} / ${a.alert}`),
        ...Object.values(DORA_RECORDS).map((r) => `${DORA_GROUP} / ${r}`),
        // Every panel's but the logs panel's, whose LogQL the policy dashboard-log-queries-must-parse checks.
        ...dashboards(spec).flatMap((m) => (m.panels ?? []).filter((p) => "targets" in p && (p.targets ?? []).length > 0 && p.type !== "logs").map((p) => `${m.uid} / ${p.title}`)),
        `agent-hive-cicd-${spec.environment} / Deployment Frequency`,
        `agent-hive-service-${spec.environment} / Canary progress`,
      ]),
    );
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
