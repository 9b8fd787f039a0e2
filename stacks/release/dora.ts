import { METRICS } from "../../infra/catalogue/metrics";
import { DORA_WINDOW } from "../../infra/observability/builders/dora";
import { DORA_PUSH_JOB, DORA_RUN_LABEL, PipelineRun, doraPushPath, pushBody } from "../../infra/observability/builders/dora-push";
import { durationSeconds } from "../../infra/catalogue/duration";

/*
 * What `npm run dora -- record` decides, as pure functions: from one
 * deployment's outcome and what the Pushgateway already holds, which groups to
 * push and delete. The rules it keeps:
 * - a pipeline run is one deployment: its group is keyed by the run id, a
 *   re-run (a later attempt) replaces it, and pushing the same attempt's same
 *   outcome again changes nothing;
 * - lead time is from the commit to the successful deploy;
 * - a failure is counted with its reason;
 * - time to restore runs from an environment's first failed deploy to its next
 *   successful one, in another run: that state lives in the Pushgateway itself
 *   (a group per environment), where every pipeline can read it back; a re-run
 *   that turns its own failure into a success clears it without a recovery,
 *   since the failure it would restore no longer counts;
 * - runs older than the DORA window are deleted, so the groups stay bounded.
 */

/** The grouping-key job of an environment's failure state. */
export const DORA_STATE_JOB = "agent-hive-dora-state";
const WINDOW_SECONDS = durationSeconds(DORA_WINDOW);
/** A status is `success` or a failure reason, written as a label value. */
const REASON = /^[a-z][a-z0-9_]{0,62}$/;

export interface Deployment {
  readonly environment: string;
  readonly namespace: string;
  /** The pipeline run's id (GitHub's run_id): one deployment whatever its attempts. */
  readonly run: string;
  readonly attempt: number;
  /** `success`, or the failure reason. */
  readonly status: string;
  /** Unix seconds. */
  readonly commitTime: number;
  readonly deployedAt: number;
}

/** One group as the Pushgateway's `/api/v1/metrics` lists it: its grouping key and metric families. */
export interface PushedGroup {
  readonly labels: Readonly<Record<string, string>>;
  readonly families: Readonly<Record<string, readonly { readonly labels: Readonly<Record<string, string>>; readonly value?: string; readonly sum?: string; readonly count?: string }[]>>;
}

/** What the Pushgateway holds that matters to this deployment. */
export interface DoraState {
  /** This run's group, when an attempt was already recorded. */
  readonly recorded?: { readonly attempt: number; readonly status: string; readonly recoverySeconds?: number };
  /** The environment's open failure: since when, and which run failed first. */
  readonly failing?: { readonly since: number; readonly run: string };
  /** Runs of the environment deployed before the window. */
  readonly expiredRuns: readonly string[];
}

export interface RecordPlan {
  /** Groups to replace (PUT), by Pushgateway path. */
  readonly put: readonly { readonly path: string; readonly body: string }[];
  readonly delete: readonly string[];
  /** What happened, line by line, for the job log. */
  readonly summary: readonly string[];
}

/** Problems with a deployment's fields, each naming the flag and the fix; empty when it is valid. */
export function validateDeployment(d: Deployment): string[] {
  const problems: string[] = [];
  if (d.run === "" || d.run.includes("/")) problems.push(`--run "${d.run}": must be the pipeline run's id, non-empty and without "/"`);
  if (!Number.isInteger(d.attempt) || d.attempt < 1) problems.push(`--attempt "${d.attempt}": must be a whole number from 1 (GitHub's run_attempt)`);
  if (d.status !== "success" && !REASON.test(d.status)) problems.push(`--status "${d.status}": must be success or a failure reason in lower case, digits and _ (such as canary_aborted)`);
  if (!Number.isFinite(d.commitTime)) problems.push("--commit-time: must be an ISO 8601 time or unix seconds");
  if (!Number.isFinite(d.deployedAt)) problems.push("--deployed-at: must be an ISO 8601 time or unix seconds");
  if (Number.isFinite(d.commitTime) && Number.isFinite(d.deployedAt) && d.commitTime > d.deployedAt) {
    problems.push("--commit-time is after --deployed-at: a lead time cannot be negative; pass the deployed commit's committer time");
  }
  return problems;
}

export function statePath(namespace: string): string {
  return `/metrics/job/${DORA_STATE_JOB}/namespace/${encodeURIComponent(namespace)}`;
}

function stateBody(environment: string, failing: { since: number; run: string }): string {
  return [
    `# HELP ${METRICS.failingSince} Since when the environment has been failing: its first failed deploy not yet restored (unix seconds)`,
    `# TYPE ${METRICS.failingSince} gauge`,
    `${METRICS.failingSince}{environment="${environment}",${DORA_RUN_LABEL}="${failing.run}"} ${failing.since}`,
    "",
  ].join("\n");
}

const first = (group: PushedGroup, family: string) => group.families[family]?.[0];

/** Reads the state a deployment needs from the Pushgateway's groups. */
export function readState(groups: readonly PushedGroup[], d: Pick<Deployment, "namespace" | "run" | "deployedAt">): DoraState {
  const ofNamespace = groups.filter((g) => g.labels.namespace === d.namespace);
  const runs = ofNamespace.filter((g) => g.labels.job === DORA_PUSH_JOB && g.labels[DORA_RUN_LABEL] !== undefined);
  const own = runs.find((g) => g.labels[DORA_RUN_LABEL] === d.run);
  const stamp = own && first(own, METRICS.deploymentTimestamp);
  const deployed = own && first(own, METRICS.deployments);
  const recovery = own && first(own, METRICS.recoveryTime);
  const state = ofNamespace.find((g) => g.labels.job === DORA_STATE_JOB);
  const failing = state && first(state, METRICS.failingSince);
  return {
    ...(stamp && deployed
      ? {
          recorded: {
            attempt: Number(stamp.labels.attempt ?? "1"),
            status: deployed.labels.status ?? "",
            ...(recovery && Number(recovery.count) > 0 ? { recoverySeconds: Number(recovery.sum) } : {}),
          },
        }
      : {}),
    ...(failing?.value !== undefined ? { failing: { since: Number(failing.value), run: failing.labels[DORA_RUN_LABEL] ?? "" } } : {}),
    expiredRuns: runs
      .filter((g) => g.labels[DORA_RUN_LABEL] !== d.run)
      .filter((g) => {
        const t = first(g, METRICS.deploymentTimestamp)?.value;
        return t !== undefined && Number(t) < d.deployedAt - WINDOW_SECONDS;
      })
      .map((g) => g.labels[DORA_RUN_LABEL] ?? ""),
  };
}

/** What to push and delete for one deployment, given the state; pure, so `--dry-run` shows exactly this. */
export function planRecord(d: Deployment, state: DoraState): RecordPlan {
  const problems = validateDeployment(d);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const summary: string[] = [];
  const prune = state.expiredRuns.map((run) => doraPushPath(d.namespace, run));
  if (prune.length > 0) summary.push(`deleting ${prune.length} run(s) deployed before the ${DORA_WINDOW} window: ${state.expiredRuns.join(", ")}`);
  if (state.recorded && state.recorded.attempt === d.attempt && state.recorded.status === d.status) {
    summary.push(`run ${d.run} attempt ${d.attempt} is already recorded as ${d.status}: nothing changes`);
    return { put: [], delete: prune, summary };
  }
  const success = d.status === "success";
  const put: { path: string; body: string }[] = [];
  const del = [...prune];
  let recoveryTimeSeconds: number | undefined;
  if (success && state.failing) {
    if (state.failing.run === d.run) {
      summary.push(`run ${d.run} failed before and now succeeds: its failure no longer counts, so there is nothing to restore`);
    } else {
      recoveryTimeSeconds = d.deployedAt - state.failing.since;
      summary.push(`restores service: failing since run ${state.failing.run}, ${recoveryTimeSeconds} s ago`);
    }
    del.push(statePath(d.namespace));
  } else if (success && state.recorded?.recoverySeconds !== undefined) {
    // A later attempt of a run that already restored service keeps its recovery.
    recoveryTimeSeconds = state.recorded.recoverySeconds;
  } else if (!success && !state.failing) {
    put.push({ path: statePath(d.namespace), body: stateBody(d.environment, { since: d.deployedAt, run: d.run }) });
    summary.push(`the environment is failing from now until a later successful deploy`);
  }
  const run: PipelineRun = {
    environment: d.environment,
    status: d.status,
    deployedAt: d.deployedAt,
    attempt: d.attempt,
    ...(success ? { leadTimeSeconds: d.deployedAt - d.commitTime } : {}),
    ...(recoveryTimeSeconds === undefined ? {} : { recoveryTimeSeconds }),
  };
  put.unshift({ path: doraPushPath(d.namespace, d.run), body: pushBody(run) });
  summary.unshift(
    success
      ? `run ${d.run} attempt ${d.attempt}: successful deploy to ${d.environment}, lead time ${d.deployedAt - d.commitTime} s`
      : `run ${d.run} attempt ${d.attempt}: failed deploy to ${d.environment}, reason ${d.status}`,
  );
  return { put, delete: del, summary };
}

/** Parses `--commit-time`/`--deployed-at`: ISO 8601 or unix seconds; NaN when neither. */
export function parseTime(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text) ? NaN : Math.floor(ms / 1000);
}
