import { describe as group, expect, it } from "vitest";
import { canaryReplicas, judgeAborted, judgeBlueGreen, judgeCompleted } from "../../../e2e/canary/judge";
import { AnalysisView, Observation, describe, observe, weightAt } from "../../../e2e/canary/observe";

const OLD = "aaa111";
const NEW = "bbb222";
const release = { from: "1.0.0", to: "1.0.1", replicas: 4 };
const STEPS = [{ setWeight: 25 }, { pause: { duration: 12 } }, { setWeight: 50 }, { pause: { duration: 12 } }, { setWeight: 75 }, { pause: { duration: 12 } }];

const run = (type: string, phase: string, failed: Record<string, number> = {}): AnalysisView => ({
  name: `ro-${NEW}-2`,
  type,
  hash: NEW,
  phase,
  metrics: ["error-rate", "latency-p95", "scraped"].map((name) => ({
    name,
    phase: failed[name] ? "Failed" : phase === "Running" ? "Running" : "Successful",
    successful: 3,
    failed: failed[name] ?? 0,
    last: "[0]",
  })),
});

let clock = 0;
/** One canary observation: `canary` pods of the new version beside the rest of the old. */
function at(step: number | null, canary: number, extra: Partial<Observation> = {}): Observation {
  clock += 1000;
  const weight = weightAt(STEPS, step);
  const stable = extra.stableHash ?? OLD;
  return {
    t: clock,
    generation: 2,
    observedGeneration: 2,
    phase: "Paused",
    abort: false,
    message: "",
    strategy: "canary",
    stepIndex: step,
    steps: STEPS.length,
    weight,
    stableHash: stable,
    currentHash: NEW,
    replicaSets: [
      { hash: OLD, version: "1.0.0", replicas: 4 - canary, ready: 4 - canary },
      { hash: NEW, version: "1.0.1", replicas: canary, ready: canary },
    ],
    analysisRuns: [run("Background", "Running")],
    ...extra,
  };
}

const before = (): Observation => ({ ...at(6, 0), phase: "Healthy", currentHash: OLD, replicaSets: [{ hash: OLD, version: "1.0.0", replicas: 4, ready: 4 }], analysisRuns: [] });

function healthyWalk(): Observation[] {
  return [
    before(),
    at(0, 1),
    at(1, 1),
    at(1, 1),
    at(2, 2),
    at(3, 2),
    at(4, 3),
    at(5, 3),
    at(6, 4, { phase: "Healthy", stableHash: NEW, replicaSets: [{ hash: OLD, version: "1.0.0", replicas: 0, ready: 0 }, { hash: NEW, version: "1.0.1", replicas: 4, ready: 4 }], analysisRuns: [run("Background", "Successful")] }),
  ];
}

function abortedWalk(metric: string): Observation[] {
  const failedRun = run("Background", "Failed", { [metric]: 2 });
  const aborted = { abort: true, phase: "Degraded", message: `RolloutAborted: Metric "${metric}" assessed Failed`, analysisRuns: [failedRun] };
  return [
    before(),
    at(0, 1),
    at(1, 1),
    at(2, 2),
    at(3, 2),
    at(0, 2, aborted),
    at(0, 0, { ...aborted, replicaSets: [{ hash: OLD, version: "1.0.0", replicas: 4, ready: 4 }, { hash: NEW, version: "1.0.1", replicas: 0, ready: 0 }] }),
  ];
}

group("a canary release's verdict (e2e/canary/judge.ts)", () => {
  it("approximates a weight by replicas, rounding up: 25/50/75 % of 4 are 1/2/3 pods", () => {
    expect([25, 50, 75].map((w) => canaryReplicas(4, w))).toEqual([1, 2, 3]);
  });

  it("passes a release that walked every weight with its replica split and ended Healthy with a Successful analysis", () => {
    const v = judgeCompleted(healthyWalk(), release, [25, 50, 75]);
    expect(v.problems).toEqual([]);
    expect(v.settled).toBe(true);
    expect(v.steps[0]).toMatch(/^setWeight 25% \(step 0,1 of 6, t\+1\.0s\.\.t\+3\.0s\): canary 1\.0\.1 1 ready\/1, stable 1\.0\.0 3 ready\/3$/);
  });

  it("fails a walk that skipped a weight, and one that never ran the weight's replica split", () => {
    const skipped = healthyWalk().filter((o) => o.weight !== 50);
    expect(judgeCompleted(skipped, release, [25, 50, 75]).problems).toContain("setWeight 50% was never observed");
    // At 75% a 2/2 split instead of 3 canary pods beside 1 stable one.
    const wrongSplit = healthyWalk().map((o) => (o.weight === 75 ? { ...o, replicaSets: o.replicaSets.map((r) => ({ ...r, ready: 2 })) } : o));
    expect(judgeCompleted(wrongSplit, release, [25, 50, 75]).problems).toContain("at setWeight 75% the canary never ran 3 ready pod(s) beside 1 stable one(s)");
  });

  it("fails a release that should have completed but was aborted", () => {
    const v = judgeCompleted(abortedWalk("error-rate"), release, [25, 50, 75]);
    expect(v.settled).toBe(true);
    expect(v.problems.join("\n")).toMatch(/aborted/);
  });

  it("passes an abort by the named metric after failureLimit + 1 failures, back on the stable version at full scale, and records where it stopped", () => {
    const v = judgeAborted(abortedWalk("error-rate"), release, 1, "error-rate");
    expect(v.problems).toEqual([]);
    expect(v.steps.find((s) => s.startsWith("ABORTED"))).toMatch(/in step 3\/6 \(setWeight 50%, canary 2 ready\)/);
  });

  it("fails a bad release that completed (the analysis let it through), and an abort on another metric", () => {
    expect(judgeAborted(healthyWalk(), release, 1, "error-rate").problems[0]).toMatch(/^the rollout was never aborted \(phase Healthy, stable 1\.0\.1\)/);
    expect(judgeAborted(abortedWalk("error-rate"), release, 1, "scraped").problems).toEqual([expect.stringMatching(/^the AnalysisRun failed, but not on scraped/)]);
    expect(judgeAborted(abortedWalk("error-rate"), release, 2, "error-rate").problems).toEqual(["error-rate failed after 2 failed measurements, not failureLimit + 1 = 3"]);
  });

  it("fails an abort that left the canary running or the stable version short", () => {
    const walk = abortedWalk("scraped").slice(0, -1);
    expect(judgeAborted(walk, release, 1, "scraped").problems).toEqual([expect.stringMatching(/^not back on the stable version at full scale/)]);
  });
});

group("a blue-green release's verdict", () => {
  const bg = (active: string, pre: AnalysisView | undefined, extra: Partial<Observation> = {}): Observation => ({
    ...at(null, 4),
    strategy: "blueGreen",
    weight: null,
    phase: "Progressing",
    replicaSets: [
      { hash: OLD, version: "1.0.0", replicas: 4, ready: 4 },
      { hash: NEW, version: "1.0.1", replicas: 4, ready: 4 },
    ],
    activeSelector: active,
    previewSelector: NEW,
    previewEndpoints: [NEW],
    analysisRuns: pre ? [pre] : [],
    ...extra,
  });
  const healthy = (): Observation[] => [
    bg(OLD, undefined),
    bg(OLD, run("PrePromotion", "Running")),
    bg(NEW, run("PrePromotion", "Successful")),
    bg(NEW, run("PrePromotion", "Successful"), { phase: "Healthy", stableHash: NEW, analysisRuns: [run("PrePromotion", "Successful"), run("PostPromotion", "Successful")] }),
  ];

  it("passes: preview on the new version first, promoted once the pre-promotion analysis succeeded", () => {
    const v = judgeBlueGreen(healthy(), release);
    expect(v.problems).toEqual([]);
    expect(v.steps.join("\n")).toMatch(/preview -> 1\.0\.1 \(endpoints: 1\.0\.1\), active -> 1\.0\.0/);
  });

  it("fails a promotion before the pre-promotion analysis succeeded, and one without the gate seen running", () => {
    const early = [bg(OLD, undefined), bg(NEW, run("PrePromotion", "Running")), ...healthy().slice(2)];
    expect(judgeBlueGreen(early, release).problems).toEqual([
      "never saw the pre-promotion analysis Running while the active Service was still on the old version",
      "the active Service switched to 1.0.1 while the pre-promotion analysis was Running",
    ]);
  });
});

group("an observation of the API server (e2e/canary/observe.ts)", () => {
  const items = [
    {
      kind: "Rollout",
      metadata: { name: "ro", generation: 3 },
      spec: { strategy: { canary: { steps: STEPS } } },
      status: { phase: "Paused", currentStepIndex: 3, stableRS: OLD, currentPodHash: NEW, observedGeneration: "3" },
    },
    ...[
      [OLD, "1.0.0", 2],
      [NEW, "1.0.1", 2],
    ].map(([hash, tag, n]) => ({
      kind: "ReplicaSet",
      metadata: { name: `ro-${hash}`, labels: { "rollouts-pod-template-hash": hash }, ownerReferences: [{ kind: "Rollout", name: "ro" }], creationTimestamp: hash === OLD ? "2026-01-01T00:00:00Z" : "2026-01-01T00:01:00Z" },
      spec: { replicas: n, template: { spec: { containers: [{ image: `ghcr.io/leanvibe/agent-hive:${tag}` }] } } },
      status: { readyReplicas: n },
    })),
    {
      kind: "AnalysisRun",
      metadata: { name: `ro-${NEW}-2`, labels: { "rollouts-pod-template-hash": NEW, "rollout-type": "Background" }, ownerReferences: [{ kind: "Rollout", name: "ro" }] },
      status: { phase: "Running", metricResults: [{ name: "error-rate", phase: "Running", successful: 2, measurements: [{ value: "[0.02]" }] }] },
    },
    { kind: "ReplicaSet", metadata: { name: "other", ownerReferences: [{ kind: "Rollout", name: "another" }] }, spec: { replicas: 9 } },
  ];

  it("reads the step, the weight in effect, each version's pods and the analysis", () => {
    const o = observe(0, items, "ro") as Observation;
    expect(o).toMatchObject({ phase: "Paused", stepIndex: 3, weight: 50, stableHash: OLD, currentHash: NEW, observedGeneration: 3 });
    expect(o.replicaSets).toEqual([
      { hash: OLD, version: "1.0.0", replicas: 2, ready: 2 },
      { hash: NEW, version: "1.0.1", replicas: 2, ready: 2 },
    ]);
    expect(describe(o)).toBe('Paused | step 3/6 setWeight 50% | stable 1.0.0 2/2, canary 1.0.1 2/2 | Background Running [error-rate Running 2ok/0fail [0.02]]');
  });

  it("takes the weight of the last setWeight at or before the step, and 100 % past the last step", () => {
    expect([0, 1, 2, 5, 6].map((i) => weightAt(STEPS, i))).toEqual([25, 25, 50, 75, 100]);
  });
});
