import { METRICS, selector } from "../../infra/catalogue/metrics";
import { DORA_RECORDS, DORA_WINDOW, DoraRecord } from "../../infra/observability/builders/dora";
import { DORA_PUSH_JOB, DORA_RUN_LABEL, LEAD_TIME_BUCKETS, PipelineRun, pushedSamples } from "../../infra/observability/builders/dora-push";
import { PUSHGATEWAY_SERVICE } from "../../infra/catalogue/pushgateway";
import { durationSeconds } from "../../infra/catalogue/duration";
import type { ObservabilitySpec } from "../../infra/observability/spec";
import type { ExprTestCase, InputSeries, TestGroup } from "./rule-test-types";

/*
 * promtool tests of the DORA recording rules on data shaped as Prometheus
 * scrapes it from the Pushgateway: every pipeline run is its own group, so its
 * own series, absent until the hour it was pushed and 1 (or its observation)
 * from then on, carrying the grouping key (`namespace`, `run`, `job`) and the
 * scrape's target labels (`pod`). The expected figures are worked out here
 * from the runs themselves (what really was deployed in the window), not from
 * the rules' PromQL.
 */

const HOUR = 3600;
const WINDOW_HOURS = durationSeconds(DORA_WINDOW) / HOUR;
const DAYS_IN_WINDOW = WINDOW_HOURS / 24;
/**
 * How often promtool evaluates the DORA rules in these tests. They are
 * instant queries over the pushed series (no `for`, no recorded input), so
 * their value at a time does not depend on earlier evaluations: evaluating
 * twice a day gives the same figures at the tested times as hourly, for a
 * twelfth of promtool's time. Tested times must be multiples of it.
 */
export const DORA_TEST_EVALUATION_HOURS = 12;

/** Runs this close to a window's start are refused: which side they fall on would depend on scrape timing. */
const BOUNDARY_MARGIN_HOURS = 2;

const FIRST_POD = `${PUSHGATEWAY_SERVICE.name}-6f9c8d7b5-x2k7p`;

/** A pipeline run of a scenario, deployed and pushed at `hour` (hours from the test's time 0). */
interface ScenarioRun extends PipelineRun {
  readonly id: string;
  readonly hour: number;
  /** A re-run of the same run replaced this group at that hour. */
  readonly replacedAt?: number;
}

/** A run deployed at `hour`: its deploy time is that hour, in promtool's seconds from 0. */
const run = (r: Omit<ScenarioRun, "deployedAt">): ScenarioRun => ({ ...r, deployedAt: r.hour * HOUR });

/** The Pushgateway's pod is replaced at `hour`; without persistence the groups it held are gone. */
interface PushgatewayRestart {
  readonly hour: number;
  readonly pod: string;
  readonly persistent: boolean;
}

interface DoraScenario {
  readonly name: string;
  readonly runs: readonly ScenarioRun[];
  readonly restarts?: readonly PushgatewayRestart[];
  /** Extra series, such as pushes under the old grouping key. */
  readonly extraSeries?: (namespace: string) => InputSeries[];
  /** Prometheus restarts on an empty data directory at this hour: it has no samples from before. */
  readonly prometheusRestartHour?: number;
  readonly evalHours: readonly number[];
}

/** When a run's series exists, and with which `pod` label: one span per Pushgateway pod that served it. */
function spans(run: ScenarioRun, restarts: readonly PushgatewayRestart[], scenarioLastHour: number): { from: number; to: number; pod: string }[] {
  const out: { from: number; to: number; pod: string }[] = [];
  const lastHour = run.replacedAt === undefined ? scenarioLastHour : Math.min(scenarioLastHour, run.replacedAt - 1);
  let from = run.hour;
  let pod = [...restarts].reverse().find((r) => r.hour <= run.hour)?.pod ?? FIRST_POD;
  for (const restart of restarts.filter((r) => r.hour > run.hour && r.hour <= lastHour)) {
    out.push({ from, to: restart.hour - 1, pod });
    if (!restart.persistent) return out;
    from = restart.hour;
    pod = restart.pod;
  }
  out.push({ from, to: lastHour, pod });
  return out;
}

/** promtool's notation for a value present from `from` to `to` (inclusive) among samples 0..`last`. */
function presence(value: number, from: number, to: number, last: number): string {
  const parts = [];
  if (from > 0) parts.push(`_x${from}`);
  parts.push(`${value}x${to - from}`);
  if (to < last) parts.push(`_x${last - to}`);
  return parts.join(" ");
}

function inputSeries(scenario: DoraScenario, namespace: string, lastHour: number): InputSeries[] {
  const restarts = [...(scenario.restarts ?? [])].sort((a, b) => a.hour - b.hour);
  // Prometheus restarted on an empty disk holds nothing from before the restart.
  const since = scenario.prometheusRestartHour ?? 0;
  const series = scenario.runs.flatMap((run) =>
    spans(run, restarts, lastHour)
      .map((span) => ({ ...span, from: Math.max(span.from, since) }))
      .filter((span) => span.from <= span.to)
      .flatMap((span) =>
        pushedSamples(run).map((sample) => ({
          series: `${sample.name}${selector({ ...sample.labels, namespace, [DORA_RUN_LABEL]: run.id, job: DORA_PUSH_JOB, pod: span.pod })}`,
          values: presence(sample.value, span.from, span.to, lastHour),
        })),
      ),
  );
  return [...series, ...(scenario.extraSeries?.(namespace) ?? [])];
}

/**
 * Prometheus's histogram_quantile over cumulative buckets (its bucketQuantile,
 * operation for operation, so the expected float is the one Prometheus computes).
 */
export function bucketQuantile(q: number, bounds: readonly number[], observations: readonly number[]): number {
  const buckets = [...bounds.map((le) => ({ le, count: observations.filter((o) => o <= le).length })), { le: Infinity, count: observations.length }];
  const total = buckets[buckets.length - 1].count;
  if (total === 0) return NaN;
  let rank = q * total;
  let b = buckets.findIndex((x, i) => i < buckets.length - 1 && x.count >= rank);
  if (b === -1) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2].le;
  if (b === 0 && buckets[0].le <= 0) return buckets[0].le;
  let start = 0;
  let count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].le;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return start + (buckets[b].le - start) * (rank / count);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The DORA figures at `hour`, from the runs the Pushgateway still holds; undefined where there must be no sample. */
function expectedFigures(scenario: DoraScenario, hour: number): Record<DoraRecord, number | undefined> {
  const lost = (run: ScenarioRun) => (scenario.restarts ?? []).some((r) => !r.persistent && r.hour > run.hour && r.hour <= hour);
  const replaced = (run: ScenarioRun) => run.replacedAt !== undefined && run.replacedAt <= hour;
  const held = scenario.runs.filter((run) => run.hour <= hour && !lost(run) && !replaced(run));
  const windowStart = hour - WINDOW_HOURS;
  for (const run of scenario.runs) {
    if (Math.abs(run.hour - windowStart) <= BOUNDARY_MARGIN_HOURS) {
      throw new Error(`scenario "${scenario.name}": run ${run.id} at hour ${run.hour} is too close to the window start ${windowStart}`);
    }
  }
  const inWindow = held.filter((run) => run.hour > windowStart);
  const failed = inWindow.filter((run) => run.status !== "success");
  const leadTimes = inWindow.flatMap((run) => (run.status === "success" && run.leadTimeSeconds !== undefined ? [run.leadTimeSeconds] : []));
  const recoveries = inWindow.flatMap((run) => (run.recoveryTimeSeconds !== undefined ? [run.recoveryTimeSeconds] : []));
  return {
    // Successful deploys only; 0 while the environment has any run at all.
    deploymentFrequency: held.length > 0 ? (inWindow.length - failed.length) / DAYS_IN_WINDOW : undefined,
    leadTimeP50: leadTimes.length > 0 ? bucketQuantile(0.5, LEAD_TIME_BUCKETS, leadTimes) : undefined,
    leadTimeMean: leadTimes.length > 0 ? mean(leadTimes) : undefined,
    changeFailureRate: inWindow.length > 0 ? failed.length / inWindow.length : undefined,
    timeToRestoreMean: recoveries.length > 0 ? mean(recoveries) : undefined,
  };
}

function scenarioGroup(spec: ObservabilitySpec, scenario: DoraScenario): TestGroup {
  const ns = spec.namespace;
  for (const hour of scenario.evalHours) {
    if (hour % DORA_TEST_EVALUATION_HOURS !== 0) throw new Error(`scenario "${scenario.name}": ${hour}h is not an evaluation time (every ${DORA_TEST_EVALUATION_HOURS}h)`);
  }
  const lastHour = Math.max(...scenario.evalHours);
  const recorded = (name: string) => `${name}${selector({ environment: spec.environment, namespace: ns })}`;
  const tests: ExprTestCase[] = scenario.evalHours.flatMap((hour) => {
    const figures = expectedFigures(scenario, hour);
    return (Object.keys(DORA_RECORDS) as DoraRecord[]).map((key) => {
      const value = figures[key];
      return {
        expr: recorded(DORA_RECORDS[key]),
        eval_time: `${hour}h`,
        exp_samples: value === undefined ? [] : [{ labels: recorded(DORA_RECORDS[key]), value }],
      };
    });
  });
  return { name: scenario.name, interval: "1h", input_series: inputSeries(scenario, ns, lastHour), promql_expr_test: tests };
}

/** A run at day `day` (from 0), `hourOfDay` o'clock. */
const at = (day: number, hourOfDay: number) => day * 24 + hourOfDay;

/**
 * Runs of a week starting at day `firstDay`: two a working day at 10:00 and
 * 15:00, all successful with the given lead times (cycled), except the runs at
 * the `failures` indices; the run after each failure restores service in the
 * matching `recoveries` time.
 */
function week(o: {
  readonly environment: string;
  readonly prefix: string;
  readonly firstDay: number;
  readonly count: number;
  readonly leadTimes: readonly number[];
  readonly failures: readonly number[];
  readonly recoveries: readonly number[];
}): ScenarioRun[] {
  const runs: ScenarioRun[] = [];
  let successes = 0;
  for (let i = 0; i < o.count; i++) {
    const hour = at(o.firstDay + Math.floor(i / 2), i % 2 === 0 ? 10 : 15);
    const id = `${o.prefix}${1000 + i}-1`;
    const failureIndex = o.failures.indexOf(i);
    if (failureIndex >= 0) {
      runs.push(run({ id, hour, environment: o.environment, status: "rollout-aborted" }));
      continue;
    }
    const recoveryIndex = o.failures.indexOf(i - 1);
    runs.push(run({
      id,
      hour,
      environment: o.environment,
      status: "success",
      leadTimeSeconds: o.leadTimes[successes++ % o.leadTimes.length],
      ...(recoveryIndex >= 0 && o.recoveries[recoveryIndex] !== undefined ? { recoveryTimeSeconds: o.recoveries[recoveryIndex] } : {}),
    }));
  }
  return runs;
}

/** The DORA scenarios, each a promtool test group. */
export function doraGroups(spec: ObservabilitySpec): TestGroup[] {
  const env = spec.environment;
  // Week 1: slow changes (lead times in the (3600, 7200] bucket), one of three deployments failing.
  const firstWeek = week({ environment: env, prefix: "7", firstDay: 0, count: 6, leadTimes: [4000, 5000, 6000, 7000], failures: [1, 4], recoveries: [3000, 1800] });
  // Week 2: busier and faster (lead times in (600, 1800]), one of seven failing.
  const secondWeek = week({ environment: env, prefix: "8", firstDay: 7, count: 14, leadTimes: [700, 1000, 1300, 1600], failures: [3, 9], recoveries: [600, 1500] });
  const oneWeek = 7 * 24;
  const twoWeeks = 14 * 24;
  const scenarios: DoraScenario[] = [
    {
      name: "DORA: two weeks of per-run pushes; each window counts only the runs pushed within it",
      runs: [...firstWeek, ...secondWeek],
      // The end of each week, and a window across both.
      evalHours: [oneWeek, at(10, 12), twoWeeks],
    },
    {
      name: "DORA: a week with no runs after a busy week: no deployments, no lead time, nothing to divide",
      runs: firstWeek,
      evalHours: [oneWeek, twoWeeks],
    },
    {
      name: "DORA: Prometheus restarts on an empty disk: runs are selected by their own deploy time, so no old run counts as new",
      runs: [...firstWeek, ...secondWeek],
      prometheusRestartHour: at(12, 3),
      evalHours: [twoWeeks],
    },
    {
      name: "DORA: a failed run re-run to success counts once, as its last attempt",
      runs: [
        ...firstWeek,
        run({ id: "8500", hour: at(7, 20), environment: env, status: "rollout-aborted", replacedAt: at(8, 13) }),
        run({ id: "8500", hour: at(8, 13), attempt: 2, environment: env, status: "success", leadTimeSeconds: 900 }),
      ],
      evalHours: [at(8, 0), twoWeeks],
    },
    {
      name: "DORA: a week of failed deployments only: every change failed, and no lead time",
      runs: week({ environment: env, prefix: "9", firstDay: 0, count: 3, leadTimes: [], failures: [0, 1, 2], recoveries: [] }),
      evalHours: [oneWeek],
    },
    {
      name: "DORA: the Pushgateway pod is replaced with its storage kept: its runs get a new pod label but do not count twice",
      runs: [...firstWeek, ...secondWeek.slice(0, 5)],
      restarts: [{ hour: at(9, 3), pod: `${PUSHGATEWAY_SERVICE.name}-6f9c8d7b5-q8m4z`, persistent: true }],
      evalHours: [twoWeeks],
    },
    {
      name: "DORA: a Pushgateway restart without persistence loses the runs it held: they are not counted, and nothing turns negative",
      runs: [...firstWeek, ...secondWeek],
      restarts: [{ hour: at(10, 3), pod: `${PUSHGATEWAY_SERVICE.name}-6f9c8d7b5-w3n9r`, persistent: false }],
      evalHours: [at(10, 12), twoWeeks],
    },
    {
      name: "DORA: no runs pushed (only a series under the old fixed grouping key, without `run`): no figures",
      runs: [],
      extraSeries: (namespace) => [
        { series: `${METRICS.deployments}${selector({ environment: env, status: "success", namespace, job: DORA_PUSH_JOB })}`, values: `1x${oneWeek}` },
      ],
      evalHours: [oneWeek],
    },
  ];
  return scenarios.map((s) => scenarioGroup(spec, s));
}
