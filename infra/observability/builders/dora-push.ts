import { METRICS } from "../../catalogue/metrics";
import { pushgatewayAddress } from "../../catalogue/pushgateway";

/*
 * How a pipeline run reports its DORA metrics: the contract the DORA
 * recording rules (dora.ts) are written and tested against. Pipelines do not
 * write it by hand: `npm run dora -- record` (stacks/release/) pushes it.
 *
 * A CI job is one-off: the guide's prometheus_client Counter and Histogram
 * start at zero in every job, and the Pushgateway replaces a group on every
 * push, never adds to it. So each pipeline run pushes only its own numbers
 * into a group of its own, and the rules add the runs up:
 *
 *     PUT http://pushgateway.pushgateway.svc:9091/metrics/job/agent-hive-pipeline/namespace/<namespace>/run/<run id>
 *
 * - `<namespace>`: the environment's namespace; an environment's Prometheus
 *   keeps only series of its own namespace.
 * - `<run id>`: the pipeline run (`${GITHUB_RUN_ID}`), not the attempt: a
 *   re-run replaces its run's group, so a run is one deployment whatever its
 *   attempts, and pushing the same run twice changes nothing.
 * - The body holds this run's numbers only, with the guide's names, labels and
 *   buckets: `agent_hive_deployments_total{environment,status}` 1, on failure
 *   `agent_hive_failed_deployments_total{environment,reason}` 1, on success the
 *   lead time observed in `agent_hive_lead_time_seconds`, when it restores
 *   service the recovery time in `agent_hive_recovery_time_seconds`; plus ours,
 *   `agent_hive_deployment_timestamp_seconds{environment,attempt}`, the deploy
 *   time. The rules select a window's runs by that timestamp, not by when
 *   Prometheus first saw them, so a Prometheus restart on an empty disk changes
 *   no figure, and runs older than the window drop out whether or not their
 *   groups are deleted (the recorder deletes them, to bound the series).
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
  /** When it deployed, in unix seconds. */
  readonly deployedAt: number;
  /** Which attempt of the pipeline run this is (GitHub's run_attempt). */
  readonly attempt?: number;
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
  readonly type: "counter" | "gauge" | "histogram";
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
  out.push({
    name: METRICS.deploymentTimestamp,
    help: "When the pipeline run deployed (unix seconds)",
    type: "gauge",
    samples: [{ name: METRICS.deploymentTimestamp, labels: { environment: run.environment, attempt: String(run.attempt ?? 1) }, value: run.deployedAt }],
  });
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
