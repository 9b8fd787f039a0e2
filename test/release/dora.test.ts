import { describe, expect, it } from "vitest";
import { METRICS } from "../../infra/catalogue/metrics";
import { doraPushPath } from "../../infra/observability/builders/dora-push";
import { DORA_STATE_JOB, Deployment, DoraState, PushedGroup, parseTime, planRecord, readState, statePath, validateDeployment } from "../../stacks/release/dora";

const NS = "agent-hive-production";
const T0 = 1_764_000_000;
const deploy = (over: Partial<Deployment> = {}): Deployment => ({
  environment: "production",
  namespace: NS,
  run: "500",
  attempt: 1,
  status: "success",
  commitTime: T0 - 1260,
  deployedAt: T0,
  ...over,
});
const none: DoraState = { expiredRuns: [] };
/** The value of a sample in a pushed body, by name and a label subset. */
const sample = (body: string, name: string, labels: Record<string, string> = {}) => {
  const line = body
    .split("\n")
    .find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `) ? Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)) : false);
  return line === undefined ? undefined : Number(line.split(" ").pop());
};

describe("planRecord", () => {
  it("records a successful deploy with its lead time from the commit, in the run's own group", () => {
    const plan = planRecord(deploy(), none);
    expect(plan.put.map((p) => p.path)).toEqual([doraPushPath(NS, "500")]);
    const body = plan.put[0].body;
    expect(sample(body, METRICS.deployments, { status: "success" })).toBe(1);
    expect(sample(body, `${METRICS.leadTime}_sum`)).toBe(1260);
    expect(sample(body, METRICS.deploymentTimestamp, { attempt: "1" })).toBe(T0);
    expect(sample(body, METRICS.failedDeployments)).toBeUndefined();
    expect(plan.delete).toEqual([]);
  });

  it("counts a failure with its reason, no lead time, and opens the environment's failure", () => {
    const plan = planRecord(deploy({ status: "canary_aborted" }), none);
    const [run, state] = plan.put;
    expect(sample(run.body, METRICS.failedDeployments, { reason: "canary_aborted" })).toBe(1);
    expect(sample(run.body, METRICS.deployments, { status: "canary_aborted" })).toBe(1);
    expect(sample(run.body, `${METRICS.leadTime}_count`)).toBe(0);
    expect(state.path).toBe(statePath(NS));
    expect(sample(state.body, METRICS.failingSince, { run: "500" })).toBe(T0);
  });

  it("keeps the first failure's time when another deploy fails before service is restored", () => {
    const plan = planRecord(deploy({ run: "501", status: "smoke_tests_failed" }), { failing: { since: T0 - 600, run: "500" }, expiredRuns: [] });
    expect(plan.put.map((p) => p.path)).toEqual([doraPushPath(NS, "501")]);
  });

  it("measures recovery from the first failed deploy to the next successful one, and closes the failure", () => {
    const plan = planRecord(deploy({ run: "502", deployedAt: T0 + 900 }), { failing: { since: T0 - 600, run: "500" }, expiredRuns: [] });
    expect(sample(plan.put[0].body, `${METRICS.recoveryTime}_sum`)).toBe(1500);
    expect(sample(plan.put[0].body, `${METRICS.recoveryTime}_count`)).toBe(1);
    expect(plan.delete).toEqual([statePath(NS)]);
  });

  it("never counts the same attempt twice: a duplicate push changes nothing", () => {
    const state: DoraState = { recorded: { attempt: 1, status: "success" }, expiredRuns: [] };
    const plan = planRecord(deploy(), state);
    expect(plan.put).toEqual([]);
    expect(plan.summary.join("\n")).toMatch(/already recorded/);
  });

  it("lets a re-run replace its run's outcome, one deployment whatever the attempts, without a recovery from its own failure", () => {
    const state: DoraState = { recorded: { attempt: 1, status: "canary_aborted" }, failing: { since: T0 - 300, run: "500" }, expiredRuns: [] };
    const plan = planRecord(deploy({ attempt: 2 }), state);
    expect(plan.put.map((p) => p.path)).toEqual([doraPushPath(NS, "500")]);
    expect(sample(plan.put[0].body, METRICS.deploymentTimestamp, { attempt: "2" })).toBe(T0);
    expect(sample(plan.put[0].body, `${METRICS.recoveryTime}_count`)).toBe(0);
    expect(plan.delete).toEqual([statePath(NS)]);
  });

  it("keeps a recovery already recorded when a later attempt of that run succeeds again", () => {
    const plan = planRecord(deploy({ attempt: 2 }), { recorded: { attempt: 1, status: "success", recoverySeconds: 777 }, expiredRuns: [] });
    expect(sample(plan.put[0].body, `${METRICS.recoveryTime}_sum`)).toBe(777);
  });

  it("deletes runs deployed before the window", () => {
    const plan = planRecord(deploy(), { expiredRuns: ["100", "101"] });
    expect(plan.delete).toEqual([doraPushPath(NS, "100"), doraPushPath(NS, "101")]);
  });

  it("refuses a negative lead time, a bad reason, run or attempt, all at once and naming each flag", () => {
    const problems = validateDeployment(deploy({ commitTime: T0 + 1, status: "Canary Aborted", run: "", attempt: 0 }));
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["--run", "--attempt", "--status", "--commit-time"]);
    expect(() => planRecord(deploy({ commitTime: T0 + 1 }), none)).toThrow(/lead time cannot be negative/);
  });
});

describe("readState", () => {
  const group = (labels: Record<string, string>, families: PushedGroup["families"]): PushedGroup => ({ labels, families });
  const run = (id: string, deployedAt: number, status: string, attempt = "1", recovery?: { sum: string; count: string }) =>
    group({ job: "agent-hive-pipeline", namespace: NS, run: id }, {
      [METRICS.deploymentTimestamp]: [{ labels: { attempt }, value: String(deployedAt) }],
      [METRICS.deployments]: [{ labels: { status }, value: "1" }],
      ...(recovery ? { [METRICS.recoveryTime]: [{ labels: {}, ...recovery }] } : {}),
    });

  it("finds this run's recorded attempt, the open failure, and the runs before the window, in this namespace only", () => {
    const groups = [
      run("500", T0 - 60, "canary_aborted", "1"),
      run("400", T0 - 8 * 86400, "success"),
      run("450", T0 - 2 * 86400, "success", "1", { sum: "120", count: "1" }),
      group({ job: DORA_STATE_JOB, namespace: NS }, { [METRICS.failingSince]: [{ labels: { run: "500" }, value: String(T0 - 60) }] }),
      { ...run("300", T0 - 9 * 86400, "success"), labels: { job: "agent-hive-pipeline", namespace: "agent-hive-staging", run: "300" } },
    ];
    expect(readState(groups, { namespace: NS, run: "500", deployedAt: T0 })).toEqual({
      recorded: { attempt: 1, status: "canary_aborted" },
      failing: { since: T0 - 60, run: "500" },
      expiredRuns: ["400"],
    });
    expect(readState(groups, { namespace: NS, run: "450", deployedAt: T0 }).recorded).toEqual({ attempt: 1, status: "success", recoverySeconds: 120 });
  });
});

describe("parseTime", () => {
  it("reads ISO 8601 and unix seconds, and nothing else", () => {
    expect(parseTime("2026-11-30T10:00:00Z")).toBe(Date.UTC(2026, 10, 30, 10) / 1000);
    expect(parseTime("2026-11-30T11:00:00+01:00")).toBe(Date.UTC(2026, 10, 30, 10) / 1000);
    expect(parseTime("1764000000")).toBe(1764000000);
    expect(parseTime("yesterday")).toBeNaN();
    expect(parseTime("30/11/2026")).toBeNaN();
  });
});
