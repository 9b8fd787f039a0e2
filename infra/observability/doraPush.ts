import { METRICS } from "../catalogue/metrics";
import { pushgatewayAddress } from "./pushgateway";

/*
 * How a pipeline run reports its DORA metrics: the contract the DORA
 * recording rules (dora.ts) are written and tested against.
 *
 * A CI job is one-off: the guide's prometheus_client Counter and Histogram
 * start at zero in every job, and the Pushgateway replaces pushed metrics on
 * every push, never adds to them. So each run pushes only its own numbers into a
 * group of its own, and the rules add the runs up.
 *
 * Pushing DORA metrics from the pipeline
 * --------------------------------------
 * Every pipeline run that deploys to an environment pushes once, after
 * `kubectl argo rollouts status` returns, to
 *
 *     POST http://pushgateway.pushgateway.svc:9091/metrics/job/agent-hive-pipeline/namespace/<namespace>/run/<run id>
 *
 * - `<namespace>`: the environment's namespace (`agent-hive-staging`,
 *   `agent-hive-production`); an environment's Prometheus keeps only series
 *   of its own namespace.
 * - `<run id>`: unique per deployment attempt. With GitHub Actions use
 *   `${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}`: a re-run keeps the run id, and a
 *   push to an existing group overwrites that group's metrics of the same name,
 *   so the first attempt's deployment would vanish.
 * - POST (`curl --data-binary`, or prometheus_client's `pushadd_to_gateway`)
 *   replaces only the metric names in the body, so a later push for the same
 *   run can add, say, its recovery time without erasing its deployment.
 * - The body holds this run's numbers only: each counter is 1 (never a running
 *   total), each histogram holds this run's observations. Leave `namespace`,
 *   `run`, `job` and `instance` out of the body: the URL sets them. Keep the
 *   HELP and TYPE lines below: the Pushgateway refuses a metric whose type
 *   differs from the same name in another group.
 *
 * A successful deployment whose commit was 21 minutes old:
 *
 *     cat <<'EOF' | curl --fail --data-binary @- \
 *       "http://pushgateway.pushgateway.svc:9091/metrics/job/agent-hive-pipeline/namespace/agent-hive-production/run/${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}"
 *     # HELP agent_hive_deployments_total Total number of deployments
 *     # TYPE agent_hive_deployments_total counter
 *     agent_hive_deployments_total{environment="production",status="success"} 1
 *     # HELP agent_hive_lead_time_seconds Time from commit to production
 *     # TYPE agent_hive_lead_time_seconds histogram
 *     agent_hive_lead_time_seconds_bucket{le="300"} 0
 *     agent_hive_lead_time_seconds_bucket{le="600"} 0
 *     agent_hive_lead_time_seconds_bucket{le="1800"} 1
 *     agent_hive_lead_time_seconds_bucket{le="3600"} 1
 *     agent_hive_lead_time_seconds_bucket{le="7200"} 1
 *     agent_hive_lead_time_seconds_bucket{le="14400"} 1
 *     agent_hive_lead_time_seconds_bucket{le="28800"} 1
 *     agent_hive_lead_time_seconds_bucket{le="86400"} 1
 *     agent_hive_lead_time_seconds_bucket{le="+Inf"} 1
 *     agent_hive_lead_time_seconds_sum 1260
 *     agent_hive_lead_time_seconds_count 1
 *     EOF
 *
 * A failed one sends `agent_hive_deployments_total{environment="production",status="failed"} 1`
 * and `agent_hive_failed_deployments_total{environment="production",reason="failed"} 1`
 * (TYPE counter, HELP "Failed deployments"), and no lead time. A deployment
 * that restores service after a failed one also sends its recovery time as
 * `agent_hive_recovery_time_seconds` (TYPE histogram, HELP "Time to recover
 * from failure", buckets 60, 300, 900, 1800, 3600, 7200, 14400, +Inf).
 *
 * From Python, the guide's metrics/dora_metrics.py with its metrics created in
 * a fresh `CollectorRegistry()` (not the default registry, which would add the
 * job's process_* and python_* metrics), then
 * `pushadd_to_gateway("pushgateway.pushgateway.svc:9091", job="agent-hive-pipeline",
 * grouping_key={"namespace": namespace, "run": f"{run_id}-{run_attempt}"}, registry=registry)`.
 * Histograms without an observation (count 0) may be sent or left out.
 *
 * The Pushgateway keeps every run's group until it is deleted. A group older
 * than the 7-day window can be deleted (`curl -X DELETE <the same URL>`)
 * without changing any figure, as long as one run's group is kept: with none
 * left anywhere a quiet week reads "no data" instead of 0 deployments. A Pushgateway restart without persistence loses
 * the groups it held: the figures then undercount until those runs would have
 * left the window; they never turn negative. Series pushed without a `run`
 * label (the old fixed grouping key) are ignored: delete that group with
 * `curl -X DELETE http://pushgateway.pushgateway.svc:9091/metrics/job/agent-hive-pipeline/namespace/<namespace>`.
 */

/** The `job` of the grouping key. */
export const DORA_PUSH_JOB = "agent-hive-pipeline";
/** The grouping-key label that keeps one pipeline run's metrics apart from every other run's. */
export const DORA_RUN_LABEL = "run";

/** The guide's lead-time buckets (seconds). */
export const LEAD_TIME_BUCKETS = [300, 600, 1800, 3600, 7200, 14400, 28800, 86400] as const;
/** The guide's recovery-time buckets (seconds). */
export const RECOVERY_TIME_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14400] as const;

/** The guide's HELP texts: the Pushgateway wants one metric name to mean one thing across groups. */
const HELP = {
  deployments: "Total number of deployments",
  failedDeployments: "Failed deployments",
  leadTime: "Time from commit to production",
  recoveryTime: "Time to recover from failure",
} as const;

/**
 * The Pushgateway path of one run's group. Values are URL-escaped; a `/` in
 * one would need the Pushgateway's `@base64` form, which namespaces (DNS
 * labels) and `<id>-<attempt>` run ids never need.
 */
export function doraPushPath(namespace: string, runId: string): string {
  for (const value of [namespace, runId]) {
    if (value === "" || value.includes("/")) throw new Error(`"${value}" cannot be a grouping-key value: it must be non-empty and without "/"`);
  }
  return `/metrics/job/${DORA_PUSH_JOB}/namespace/${encodeURIComponent(namespace)}/${DORA_RUN_LABEL}/${encodeURIComponent(runId)}`;
}

/** The URL a pipeline run POSTs its DORA metrics to. */
export function doraPushUrl(pushgatewayNamespace: string, namespace: string, runId: string): string {
  return `${pushgatewayAddress(pushgatewayNamespace)}${doraPushPath(namespace, runId)}`;
}

/** One pipeline run's outcome, as the guide's DORAMetrics records it. */
export interface PipelineRun {
  readonly environment: string;
  /** `success`, or the failure reason (the guide's `status`). */
  readonly status: string;
  /** Observed on success only, as in the guide. */
  readonly leadTimeSeconds?: number;
  /** Observed when this deployment restored service after a failed one. */
  readonly recoveryTimeSeconds?: number;
}

/** One sample of a pushed body, without the grouping-key labels. */
export interface PushedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "histogram";
  readonly samples: PushedSample[];
}

function histogram(name: string, help: string, buckets: readonly number[], observation: number | undefined): Family {
  const observations = observation === undefined ? [] : [observation];
  const count = (le: number) => observations.filter((o) => o <= le).length;
  return {
    name,
    help,
    type: "histogram",
    samples: [
      ...buckets.map((le) => ({ name: `${name}_bucket`, labels: { le: String(le) }, value: count(le) })),
      { name: `${name}_bucket`, labels: { le: "+Inf" }, value: observations.length },
      { name: `${name}_sum`, labels: {}, value: observations.reduce((a, b) => a + b, 0) },
      { name: `${name}_count`, labels: {}, value: observations.length },
    ],
  };
}

/**
 * What a run pushes, metric family by family, as prometheus_client renders the
 * guide's metrics from a fresh registry: a labelled counter appears only once
 * incremented; a histogram always, with count 0 when nothing was observed,
 * unless `emptyHistograms` is false.
 */
function families(run: PipelineRun, emptyHistograms: boolean): Family[] {
  const out: Family[] = [
    {
      name: METRICS.deployments,
      help: HELP.deployments,
      type: "counter",
      samples: [{ name: METRICS.deployments, labels: { environment: run.environment, status: run.status }, value: 1 }],
    },
  ];
  if (run.status !== "success") {
    out.push({
      name: METRICS.failedDeployments,
      help: HELP.failedDeployments,
      type: "counter",
      samples: [{ name: METRICS.failedDeployments, labels: { environment: run.environment, reason: run.status }, value: 1 }],
    });
  }
  const histograms: [string, string, readonly number[], number | undefined][] = [
    [METRICS.leadTime, HELP.leadTime, LEAD_TIME_BUCKETS, run.status === "success" ? run.leadTimeSeconds : undefined],
    [METRICS.recoveryTime, HELP.recoveryTime, RECOVERY_TIME_BUCKETS, run.recoveryTimeSeconds],
  ];
  for (const [name, help, buckets, observation] of histograms) {
    if (observation !== undefined || emptyHistograms) out.push(histogram(name, help, buckets, observation));
  }
  return out;
}

/** The samples one run pushes (see `families`). */
export function pushedSamples(run: PipelineRun, options: { readonly emptyHistograms?: boolean } = {}): PushedSample[] {
  return families(run, options.emptyHistograms ?? true).flatMap((f) => f.samples);
}

const labelText = (labels: Readonly<Record<string, string>>) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
};

/** A run's push body in the Prometheus text format, the one the example above shows. */
export function pushBody(run: PipelineRun, options: { readonly emptyHistograms?: boolean } = {}): string {
  const lines = families(run, options.emptyHistograms ?? true).flatMap((f) => [
    `# HELP ${f.name} ${f.help}`,
    `# TYPE ${f.name} ${f.type}`,
    ...f.samples.map((s) => `${s.name}${labelText(s.labels)} ${s.value}`),
  ]);
  // The Pushgateway's parser wants the body to end with a newline.
  return `${lines.join("\n")}\n`;
}
