import { METRICS, selector } from "../../infra/catalogue/metrics";
import { AlertDefinition, AlertName, VALUE_TEMPLATE, alertDefinitions } from "../../infra/observability/builders/alerts";
import { DORA_TEST_EVALUATION_HOURS, doraGroups } from "./dora-tests";
import { durationSeconds } from "../../infra/catalogue/duration";
import type { ObservabilitySpec } from "../../infra/observability/spec";
import type { AlertTestCase, InputSeries, RuleTestFile, TestGroup } from "./rule-test-types";

export type { AlertTestCase, ExprTestCase, InputSeries, RuleTestFile, TestGroup } from "./rule-test-types";

/*
 * promtool unit tests generated from the alert definitions and thresholds
 * that generate the rules, so a threshold, `for`, label or annotation that
 * drifts from the spec fails `promtool test rules`.
 *
 * Input series are chosen so every expected value is exact in floating point
 * (integer counter steps, histogram buckets whose quantile is a bucket bound):
 * the tests compare the rendered `{{ $value }}` character for character.
 */

/** Samples one minute apart, and the rules evaluated every minute, so times are whole minutes. */
const STEP_MINUTES = 1;

/** The spec's rate window in whole minutes: minute samples need at least two in a window. */
function rateWindowMinutes(spec: ObservabilitySpec): number {
  const minutes = durationSeconds(spec.slo.rateWindow) / 60;
  if (!Number.isInteger(minutes) || minutes < 2) {
    throw new Error(`the rule tests sample every minute, so slo.rateWindow must be whole minutes, at least 2 (got ${spec.slo.rateWindow})`);
  }
  return minutes;
}

/** promtool's expanding notation: `start+step x count` is count+1 samples. */
const ramp = (start: number, step: number, count: number) => `${start}+${step}x${count}`;

/**
 * Go's `%v` for a float64, which is how Prometheus renders `{{ $value }}`:
 * shortest round-trip digits (as JavaScript's), exponent form below 1e-4 and
 * from 1e6 on.
 */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const [mantissa, exponent] = v.toExponential().split("e");
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(v);
  const digits = String(Math.abs(exp)).padStart(2, "0");
  return `${mantissa}e${exp < 0 ? "-" : "+"}${digits}`;
}

/** How a test drives one alert: series that breach, series just on the healthy side. */
interface Scenario {
  /** The first evaluation (minutes) at which the breaching series make the expression true. */
  readonly activeFromMinute: number;
  readonly breach: (samples: number) => InputSeries[];
  /** The alert's value at an evaluation time, for the expected `{{ $value }}`. */
  readonly breachValueAt: (minute: number) => number;
  readonly healthy: (samples: number) => InputSeries[];
}

type ScenarioFactory = (def: AlertDefinition, namespace: string, windowMinutes: number) => Scenario;

const SCENARIOS: Record<AlertName, ScenarioFactory> = {
  HighErrorRate: (def, namespace, RATE_WINDOW_MINUTES) => {
    const series = selectorOf(METRICS.errors, { namespace, pod: "agent-hive-api-0" });
    // A counter from 0 rising `perMinute` each minute: at minute t (until the
    // window is full) rate() is exactly t*perMinute/300, so already at minute 1
    // it must exceed the threshold for the activation time to be exact.
    let perMinute = Math.floor(def.threshold * 60 * RATE_WINDOW_MINUTES) + 1;
    while (perMinute / (60 * RATE_WINDOW_MINUTES) <= def.threshold) perMinute += 1;
    // 90% of the threshold, however the counter steps round.
    const healthyPerMinute = def.threshold * 60 * 0.9;
    return {
      activeFromMinute: 1,
      breach: (n) => [{ series, values: ramp(0, perMinute, n) }],
      breachValueAt: (minute) => (Math.min(minute, RATE_WINDOW_MINUTES) * perMinute) / (60 * RATE_WINDOW_MINUTES),
      healthy: (n) => [{ series, values: ramp(0, healthyPerMinute, n) }],
    };
  },
  HighResponseTime: (def, namespace) => {
    // All requests land above the one finite bucket: histogram_quantile then
    // answers exactly that bucket's bound, whatever the request count.
    const bucket = (le: number) => selectorOf(METRICS.responseTimeBucket, { namespace, pod: "agent-hive-api-0", le: String(le) });
    const inf = selectorOf(METRICS.responseTimeBucket, { namespace, pod: "agent-hive-api-0", le: "+Inf" });
    const slow = def.threshold * 2;
    const justFastEnough = def.threshold * 0.9;
    const requests = (le: number, n: number) => [
      { series: bucket(le), values: ramp(0, 0, n) },
      { series: inf, values: ramp(0, 10, n) },
    ];
    return {
      // rate() needs two samples.
      activeFromMinute: 1,
      breach: (n) => requests(slow, n),
      breachValueAt: () => slow,
      healthy: (n) => requests(justFastEnough, n),
    };
  },
  MetricsAbsent: (_def, namespace) => {
    // The pod's scrape fails (up 0): no target answers, so absent() is 1.
    const up = selectorOf("up", { namespace, pod: "agent-hive-orchestrator-0" });
    return {
      activeFromMinute: 0,
      breach: (n) => [{ series: up, values: ramp(0, 0, n) }],
      breachValueAt: () => 1,
      healthy: (n) => [{ series: up, values: ramp(1, 0, n) }],
    };
  },
  LowAgentCount: (def, namespace) => {
    const series = selectorOf(METRICS.activeAgents, { namespace, pod: "agent-hive-orchestrator-0" });
    // One agent short, and exactly the minimum: the comparison is strict.
    return {
      activeFromMinute: 0,
      breach: (n) => [{ series, values: ramp(def.threshold - 1, 0, n) }],
      breachValueAt: () => def.threshold - 1,
      healthy: (n) => [{ series, values: ramp(def.threshold, 0, n) }],
    };
  },
};

function selectorOf(metric: string, labels: Record<string, string>): string {
  return `${metric}${selector(labels)}`;
}

const minutes = (m: number) => `${m}m`;

function renderAnnotations(def: AlertDefinition, value: number): Record<string, string> {
  const rendered: Record<string, string> = {};
  for (const [key, template] of Object.entries(def.annotations)) {
    const text = template.split(VALUE_TEMPLATE).join(goFloat(value));
    if (text.includes("{{")) throw new Error(`annotation ${def.alert}.${key} uses a template the rule tests cannot predict: ${template}`);
    rendered[key] = text;
  }
  return rendered;
}

function alertGroups(def: AlertDefinition, namespace: string, windowMinutes: number): TestGroup[] {
  const scenario = SCENARIOS[def.alert](def, namespace, windowMinutes);
  const RATE_WINDOW_MINUTES = windowMinutes;
  // Prometheus fires at the first evaluation at least `for` after activation.
  const forMinutes = Math.ceil(durationSeconds(def.for) / 60 / STEP_MINUTES) * STEP_MINUTES;
  const fireMinute = scenario.activeFromMinute + forMinutes;
  const samples = fireMinute + 2 * RATE_WINDOW_MINUTES;
  const firing = {
    exp_labels: { alertname: def.alert, ...def.labels },
    exp_annotations: renderAnnotations(def, scenario.breachValueAt(fireMinute)),
  };
  const stillPending: AlertTestCase[] =
    forMinutes > 0 ? [{ eval_time: minutes(fireMinute - STEP_MINUTES), alertname: def.alert, exp_alerts: [] }] : [];
  return [
    {
      name: `${def.alert} fires once the threshold ${def.threshold} has been breached for ${def.for}`,
      interval: minutes(STEP_MINUTES),
      input_series: scenario.breach(samples),
      alert_rule_test: [...stillPending, { eval_time: minutes(fireMinute), alertname: def.alert, exp_alerts: [firing] }],
    },
    {
      name: `${def.alert} stays quiet just on the healthy side of ${def.threshold}`,
      interval: minutes(STEP_MINUTES),
      input_series: scenario.healthy(samples),
      alert_rule_test: [{ eval_time: minutes(samples), alertname: def.alert, exp_alerts: [] }],
    },
    ...(def.alert === "LowAgentCount" ? [everyPodGone(def, namespace, forMinutes, samples)] : []),
  ];
}

/**
 * LowAgentCount with no agent series at all (every pod gone): the case the
 * guide's per-series rule misses. Only a failing scrape is left to read.
 */
function everyPodGone(def: AlertDefinition, namespace: string, forMinutes: number, samples: number): TestGroup {
  return {
    name: `${def.alert} fires when no pod reports agents at all`,
    interval: minutes(STEP_MINUTES),
    input_series: [{ series: selectorOf("up", { namespace, pod: "agent-hive-orchestrator-0" }), values: ramp(0, 0, samples) }],
    alert_rule_test: [
      { eval_time: minutes(forMinutes), alertname: def.alert, exp_alerts: [{ exp_labels: { alertname: def.alert, ...def.labels }, exp_annotations: renderAnnotations(def, 0) }] },
    ],
  };
}

/** The generated test documents: one per evaluation interval (see ruleTests). */
export interface RuleTests {
  /** Alerts, evaluated every minute so `for` is checked to the minute. */
  readonly alerts: RuleTestFile;
  /** DORA recordings over two weeks of hourly, per-run Pushgateway data (evaluated every DORA_TEST_EVALUATION_HOURS). */
  readonly recordings: RuleTestFile;
}

/**
 * The promtool unit tests of an environment's rules: for every alert a breach
 * that fires (exact labels and annotations) after exactly `for`, preceded by
 * an evaluation where it must still be pending, and series just on the
 * healthy side that never fire; and the DORA recordings over pipeline runs
 * pushed one group per run, as the Pushgateway serves them (dora-tests.ts).
 *
 * Two documents, because promtool evaluates every rule at a file's one
 * `evaluation_interval` from time 0 to the last `eval_time`: the alerts need
 * minute steps, and two weeks of them would take promtool minutes; the DORA
 * weeks are evaluated every DORA_TEST_EVALUATION_HOURS. `ruleFiles` are paths
 * relative to the test files.
 */
export function ruleTests(spec: ObservabilitySpec, ruleFiles: readonly string[] = ["rules.yml"]): RuleTests {
  return {
    alerts: {
      rule_files: [...ruleFiles],
      evaluation_interval: minutes(STEP_MINUTES),
      tests: alertDefinitions(spec).flatMap((def) => alertGroups(def, spec.namespace, rateWindowMinutes(spec))),
    },
    recordings: { rule_files: [...ruleFiles], evaluation_interval: `${DORA_TEST_EVALUATION_HOURS}h`, tests: doraGroups(spec) },
  };
}
