import { AnalysisView, Observation, replicaSet } from "./observe";

/*
 * The verdict on one release from its observations (observe.ts): what must
 * have been seen for a healthy canary, an aborted one and a blue-green
 * promotion, and the steps as they were observed, for the log.
 */

export interface Release {
  /** The version (image tag) the release replaces: the stable one before it. */
  readonly from: string;
  /** The version it releases. */
  readonly to: string;
  readonly replicas: number;
}

export interface Verdict {
  /** The observed steps, one line each. */
  readonly steps: string[];
  readonly problems: string[];
  /** False while the release may still move towards the judged end state (the judge polls again). */
  readonly settled: boolean;
}

const hashOf = (o: Observation, version: string) => o.replicaSets.find((r) => r.version === version)?.hash;

/** The observations from the first one that has the new version's ReplicaSet. */
export function ofRelease(all: readonly Observation[], r: Release): Observation[] {
  const first = all.findIndex((o) => hashOf(o, r.to) !== undefined && o.currentHash === hashOf(o, r.to));
  return first < 0 ? [] : all.slice(first);
}

const secs = (o: Observation, t0: number) => `t+${((o.t - t0) / 1000).toFixed(1)}s`;

function runOf(o: Observation, hash: string, type: string): AnalysisView | undefined {
  return o.analysisRuns.filter((a) => a.hash === hash && a.type === type).at(-1);
}

function metricsLine(a: AnalysisView | undefined): string {
  if (a === undefined) return "no AnalysisRun";
  return `${a.name} ${a.phase}: ${a.metrics.map((m) => `${m.name} ${m.phase} (${m.successful} ok, ${m.failed} failed, last ${m.last})`).join(", ")}`;
}

/** Canary replicas Argo runs at a weight without traffic routing: the weight's share of the replicas, rounded up. */
export function canaryReplicas(replicas: number, weight: number): number {
  return Math.ceil((replicas * weight) / 100);
}

/**
 * The walk as observed: per weight, in order, when it was first and last seen
 * (its setWeight step and the pause after it) and both versions' pods at its
 * last observation, the end of its pause.
 */
function walkedSteps(obs: readonly Observation[], r: Release, stable: string, canary: string, t0: number): { lines: string[]; last: Map<number, Observation> } {
  const groups: { weight: number; first: Observation; last: Observation; steps: Set<number> }[] = [];
  for (const o of obs) {
    if (o.weight === null || o.abort) continue;
    const g = groups.at(-1);
    if (g && g.weight === o.weight) {
      g.last = o;
      if (o.stepIndex !== null) g.steps.add(o.stepIndex);
    } else groups.push({ weight: o.weight, first: o, last: o, steps: new Set(o.stepIndex === null ? [] : [o.stepIndex]) });
  }
  // Before the release the Rollout sits at 100 % of the old version: not a step of this walk.
  while (groups.length > 0 && groups[0].weight === 100 && replicaSet(groups[0].last, canary).replicas === 0) groups.shift();
  const last = new Map(groups.map((g) => [g.weight, g.last]));
  const lines = groups.map((g) => {
    const c = replicaSet(g.last, canary);
    const s = replicaSet(g.last, stable);
    const steps = [...g.steps].sort((a, b) => a - b);
    return `setWeight ${g.weight}% (step ${steps.join(",")} of ${g.last.steps}, ${secs(g.first, t0)}..${secs(g.last, t0)}): canary ${r.to} ${c.ready} ready/${c.replicas}, stable ${r.from} ${s.ready} ready/${s.replicas}`;
  });
  return { lines, last };
}

/** Scenario 1: every weight walked with its replica split, the analysis Successful, Healthy on the new version. */
export function judgeCompleted(all: readonly Observation[], r: Release, weights: readonly number[]): Verdict {
  const obs = ofRelease(all, r);
  if (obs.length === 0) return { steps: [], problems: [`no ReplicaSet of ${r.to} was observed: the release never started`], settled: false };
  const last = obs[obs.length - 1];
  const stable = hashOf(obs[0], r.from) ?? obs[0].stableHash;
  const canary = hashOf(last, r.to) as string;
  const { lines, last: byWeight } = walkedSteps(obs, r, stable, canary, all[0].t);
  const problems: string[] = [];
  for (const w of weights) {
    const want = canaryReplicas(r.replicas, w);
    if (!byWeight.has(w)) problems.push(`setWeight ${w}% was never observed`);
    else if (!obs.some((o) => o.weight === w && replicaSet(o, canary).ready === want && replicaSet(o, stable).ready === r.replicas - want)) {
      problems.push(`at setWeight ${w}% the canary never ran ${want} ready pod(s) beside ${r.replicas - want} stable one(s)`);
    }
  }
  const seenWeights = obs.map((o) => o.weight).filter((w, i, a) => w !== null && w !== a[i - 1]);
  const order = seenWeights.filter((w) => w !== 100);
  if (order.join(",") !== weights.filter((w) => order.includes(w)).join(",")) problems.push(`the weights went ${seenWeights.join(" -> ")}, not in the configured order ${weights.join(" -> ")}`);
  const run = runOf(last, canary, "Background");
  const done = last.phase === "Healthy" && last.stableHash === canary && replicaSet(last, canary).ready === r.replicas;
  const drained = last.replicaSets.filter((rs) => rs.hash !== canary).every((rs) => rs.replicas === 0);
  if (last.abort) problems.push(`the rollout aborted: "${last.message}"`);
  if (!done) problems.push(`the rollout did not end Healthy on ${r.to} with ${r.replicas} ready pods (phase ${last.phase}, stable ${replicaSet(last, last.stableHash).version})`);
  if (!drained) problems.push("the old version still has pods");
  if (run?.phase !== "Successful") problems.push(`the AnalysisRun is not Successful: ${metricsLine(run)}`);
  return {
    steps: [...lines, `end: ${last.phase} on ${replicaSet(last, last.stableHash).version}, ${metricsLine(run)}`],
    problems,
    settled: last.abort || (done && drained && run?.phase === "Successful"),
  };
}

/**
 * Scenarios 2 and 3: the analysis failed on `metric` after exactly failureLimit + 1
 * failed measurements, the rollout aborted, and the stable version is back at full scale.
 */
export function judgeAborted(all: readonly Observation[], r: Release, failureLimit: number, metric: string): Verdict {
  const obs = ofRelease(all, r);
  if (obs.length === 0) return { steps: [], problems: [`no ReplicaSet of ${r.to} was observed: the release never started`], settled: false };
  const last = obs[obs.length - 1];
  const stable = hashOf(obs[0], r.from) ?? obs[0].stableHash;
  const canary = hashOf(last, r.to) as string;
  const { lines } = walkedSteps(obs, r, stable, canary, all[0].t);
  const firstAbort = obs.findIndex((o) => o.abort);
  const before = firstAbort > 0 ? obs[firstAbort - 1] : undefined;
  const run = runOf(last, canary, "Background");
  const problems: string[] = [];
  const steps = [...lines];
  if (firstAbort < 0) {
    problems.push(`the rollout was never aborted (phase ${last.phase}, stable ${replicaSet(last, last.stableHash).version})`);
  } else {
    const at = obs[firstAbort];
    steps.push(
      `ABORTED at ${secs(at, all[0].t)} in step ${before?.stepIndex ?? "-"}/${at.steps} (setWeight ${before?.weight ?? "-"}%, canary ${replicaSet(before ?? at, canary).ready} ready): "${at.message}"`,
    );
  }
  const failed = run?.metrics.find((m) => m.name === metric);
  if (run?.phase !== "Failed") problems.push(`the AnalysisRun is not Failed: ${metricsLine(run)}`);
  else if (failed?.phase !== "Failed") problems.push(`the AnalysisRun failed, but not on ${metric}: ${metricsLine(run)}`);
  else if (failed.failed !== failureLimit + 1) problems.push(`${metric} failed after ${failed.failed} failed measurements, not failureLimit + 1 = ${failureLimit + 1}`);
  const s = replicaSet(last, stable);
  const c = replicaSet(last, canary);
  const back = last.stableHash === stable && s.replicas === r.replicas && s.ready === r.replicas && c.replicas === 0;
  if (firstAbort >= 0 && !back) problems.push(`not back on the stable version at full scale: stable ${r.from} ${s.ready}/${s.replicas}, canary ${r.to} ${c.ready}/${c.replicas}`);
  if (firstAbort >= 0 && last.phase !== "Degraded") problems.push(`phase ${last.phase} after the abort, not Degraded`);
  steps.push(`end: ${last.phase}${last.abort ? " (aborted)" : ""}, stable ${r.from} ${s.ready}/${s.replicas} ready, canary ${r.to} ${c.ready}/${c.replicas}; ${metricsLine(run)}`);
  return { steps, problems, settled: last.phase === "Healthy" || (back && last.phase === "Degraded" && run?.phase === "Failed") };
}

/**
 * Scenario 4: before the promotion the preview Service (and its endpoints) is
 * the new version while the active one is still the old; the active Service
 * switches only once the pre-promotion analysis is Successful; then Healthy.
 */
export function judgeBlueGreen(all: readonly Observation[], r: Release): Verdict {
  const obs = ofRelease(all, r);
  if (obs.length === 0) return { steps: [], problems: [`no ReplicaSet of ${r.to} was observed: the release never started`], settled: false };
  const t0 = all[0].t;
  const last = obs[obs.length - 1];
  const old = hashOf(obs[0], r.from) ?? obs[0].stableHash;
  const next = hashOf(last, r.to) as string;
  const pre = (o: Observation) => runOf(o, next, "PrePromotion");
  const problems: string[] = [];
  const steps: string[] = [];
  const previewed = obs.find((o) => o.previewSelector === next && o.activeSelector === old && (o.previewEndpoints ?? []).includes(next));
  if (previewed === undefined) problems.push(`never saw the preview Service (and its endpoints) on ${r.to} while the active one was on ${r.from}`);
  else {
    steps.push(
      `${secs(previewed, t0)} preview -> ${r.to} (endpoints: ${(previewed.previewEndpoints ?? []).map((h) => replicaSet(previewed, h).version).join(", ")}), active -> ${r.from}; pre-promotion ${pre(previewed)?.phase ?? "not started"}`,
    );
  }
  const gated = obs.find((o) => o.activeSelector === old && o.previewSelector === next && pre(o)?.phase === "Running");
  if (gated === undefined) problems.push("never saw the pre-promotion analysis Running while the active Service was still on the old version");
  const passed = obs.find((o) => pre(o)?.phase === "Successful");
  if (passed) steps.push(`${secs(passed, t0)} pre-promotion ${metricsLine(pre(passed))}`);
  const promoted = obs.find((o) => o.activeSelector === next);
  if (promoted === undefined) problems.push(`the active Service never switched to ${r.to}`);
  else {
    steps.push(`${secs(promoted, t0)} promoted: active -> ${r.to}`);
    const early = obs.find((o) => o.activeSelector === next && pre(o)?.phase !== "Successful");
    if (early) problems.push(`the active Service switched to ${r.to} while the pre-promotion analysis was ${pre(early)?.phase ?? "not started"}`);
  }
  const post = runOf(last, next, "PostPromotion");
  const done = last.phase === "Healthy" && last.stableHash === next && last.activeSelector === next && replicaSet(last, next).ready === r.replicas;
  if (!done) problems.push(`the rollout did not end Healthy with the active Service on ${r.to} (phase ${last.phase}, active ${replicaSet(last, last.activeSelector ?? "").version})`);
  if (post?.phase !== "Successful") problems.push(`the post-promotion AnalysisRun is not Successful: ${metricsLine(post)}`);
  steps.push(`end: ${last.phase}, active -> ${replicaSet(last, last.activeSelector ?? "").version}; post-promotion ${metricsLine(post)}`);
  return { steps, problems, settled: last.abort || (done && post?.phase === "Successful") };
}
