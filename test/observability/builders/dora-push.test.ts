import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS } from "../../../infra/catalogue/metrics";
import { DORA_PUSH_JOB, DORA_RUN_LABEL, PipelineRun, doraPushPath, doraPushUrl, pushBody, pushedSamples } from "../../../infra/observability/builders/dora-push";
import { runSelector } from "../../../infra/observability/builders/dora";
import { PUSHGATEWAY_SERVICE, pushgatewayAddress } from "../../../infra/catalogue/pushgateway";
import { describeWithTool, run } from "../tools";

/** The example of the push instructions (dora-push.ts, and the README from it). */
const EXAMPLE_RUN: PipelineRun = { environment: "production", status: "success", deployedAt: 1764500000, attempt: 2, leadTimeSeconds: 1260 };
const EXAMPLE_BODY = `# HELP agent_hive_deployments_total Total number of deployments
# TYPE agent_hive_deployments_total counter
agent_hive_deployments_total{environment="production",status="success"} 1
# HELP agent_hive_lead_time_seconds Time from commit to production
# TYPE agent_hive_lead_time_seconds histogram
agent_hive_lead_time_seconds_bucket{le="300"} 0
agent_hive_lead_time_seconds_bucket{le="600"} 0
agent_hive_lead_time_seconds_bucket{le="1800"} 1
agent_hive_lead_time_seconds_bucket{le="3600"} 1
agent_hive_lead_time_seconds_bucket{le="7200"} 1
agent_hive_lead_time_seconds_bucket{le="14400"} 1
agent_hive_lead_time_seconds_bucket{le="28800"} 1
agent_hive_lead_time_seconds_bucket{le="86400"} 1
agent_hive_lead_time_seconds_bucket{le="+Inf"} 1
agent_hive_lead_time_seconds_sum 1260
agent_hive_lead_time_seconds_count 1
# HELP agent_hive_deployment_timestamp_seconds When the pipeline run deployed (unix seconds)
# TYPE agent_hive_deployment_timestamp_seconds gauge
agent_hive_deployment_timestamp_seconds{environment="production",attempt="2"} 1764500000
`;

/** The comment block of dora-push.ts, without its ` * ` margins. */
function documentation(): string {
  const source = fs.readFileSync(path.join(__dirname, "../../../infra/observability/builders/dora-push.ts"), "utf8");
  const block = source.slice(source.indexOf("/*"), source.indexOf("*/"));
  return block
    .split("\n")
    .map((line) => line.replace(/^ \* ?/, ""))
    .join("\n");
}

const RUNS: Record<string, PipelineRun> = {
  success: EXAMPLE_RUN,
  failed: { environment: "staging", status: "rollout-aborted", deployedAt: 1764500000 },
  recovery: { environment: "staging", status: "success", deployedAt: 1764503600, leadTimeSeconds: 900, recoveryTimeSeconds: 1500 },
};

describe("the pipeline's push", () => {
  it("goes to the run's own group: job, the environment's namespace, and the run", () => {
    expect(pushgatewayAddress("pushgateway")).toBe(`http://${PUSHGATEWAY_SERVICE.name}.pushgateway.svc:${PUSHGATEWAY_SERVICE.port.number}`);
    expect(doraPushUrl("pushgateway", "agent-hive-production", "12345678-2")).toBe(
      "http://pushgateway.pushgateway.svc:9091/metrics/job/agent-hive-pipeline/namespace/agent-hive-production/run/12345678-2",
    );
    // A "/" would end the label value early; an empty run would be no run at all.
    expect(() => doraPushPath("agent-hive-production", "feature/x")).toThrow(/without "\/"/);
    expect(() => doraPushPath("agent-hive-production", "")).toThrow(/non-empty/);
  });

  it("is documented with the URL, the recorder and the grouping key the rules select", () => {
    const doc = documentation();
    expect(doc).toContain(`PUT ${pushgatewayAddress("pushgateway")}/metrics/job/${DORA_PUSH_JOB}/namespace/<namespace>/${DORA_RUN_LABEL}/<run id>`);
    expect(doc).toContain("npm run dora -- record");
    expect(pushBody(EXAMPLE_RUN, { emptyHistograms: false })).toBe(EXAMPLE_BODY);
    // And the rules select exactly the labels that URL gives.
    expect(runSelector("agent-hive-production")).toBe(`{namespace="agent-hive-production",${DORA_RUN_LABEL}!=""}`);
  });

  it("holds the run's own numbers, as the guide's DORAMetrics records them", () => {
    const value = (run: PipelineRun, name: string, labels: Record<string, string> = {}) =>
      pushedSamples(run).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value(RUNS.failed, METRICS.deployments, { status: "rollout-aborted" })).toBe(1);
    expect(value(RUNS.failed, METRICS.failedDeployments, { reason: "rollout-aborted" })).toBe(1);
    expect(value(RUNS.failed, `${METRICS.leadTime}_count`)).toBe(0);
    expect(value(RUNS.success, METRICS.failedDeployments)).toBeUndefined();
    expect(value(RUNS.recovery, `${METRICS.recoveryTime}_sum`)).toBe(1500);
    expect(value(RUNS.recovery, `${METRICS.recoveryTime}_bucket`, { le: "900" })).toBe(0);
    expect(value(RUNS.recovery, `${METRICS.recoveryTime}_bucket`, { le: "1800" })).toBe(1);
    expect(value(RUNS.recovery, METRICS.deploymentTimestamp, { attempt: "1" })).toBe(1764503600);
    // The grouping key is the URL's: never in the body.
    for (const run of Object.values(RUNS)) {
      for (const s of pushedSamples(run)) for (const key of ["namespace", "run", "job", "instance"]) expect(s.labels).not.toHaveProperty(key);
      expect(pushBody(run)).not.toMatch(/namespace=|run=|job=|instance=/);
    }
  });
});

describeWithTool("promtool", "promtool check metrics on the push bodies", () => {
  const cwd = os.tmpdir();
  it.each(Object.entries(RUNS))("accepts a %s run's body", (_name, pipelineRun) => {
    for (const emptyHistograms of [true, false]) {
      const result = run("promtool", ["check", "metrics"], cwd, pushBody(pipelineRun, { emptyHistograms }));
      expect(result.ok, result.output).toBe(true);
    }
  });

  it("the check can fail: it rejects a counter without HELP", () => {
    const result = run("promtool", ["check", "metrics"], cwd, `${METRICS.deployments}{status="success"} 1\n`);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/no help text/);
  });
});
