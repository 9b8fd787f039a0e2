/*
 * What the canary scenarios see of a release, one observation per poll of the
 * API server (`kubectl get rollout,rs,analysisruns,services,endpointslices,pods
 * -o json`), reduced to the facts a release is judged on: the step and weight,
 * each ReplicaSet's version and replica counts, each AnalysisRun's verdict per
 * metric, and which version each Service selects.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const HASH_LABEL = "rollouts-pod-template-hash";

export interface ReplicaSetView {
  readonly hash: string;
  /** The image's tag (or digest): what the version is called in the logs. */
  readonly version: string;
  readonly replicas: number;
  readonly ready: number;
}

export interface MetricView {
  readonly name: string;
  readonly phase: string;
  readonly successful: number;
  readonly failed: number;
  /** The last measured value, as Argo stores it (`[0.02]`). */
  readonly last: string;
}

export interface AnalysisView {
  readonly name: string;
  /** Background (canary), PrePromotion or PostPromotion (blue-green), from the run's `rollout-type` label. */
  readonly type: string;
  readonly hash: string;
  readonly phase: string;
  readonly metrics: readonly MetricView[];
}

export interface Observation {
  /** Milliseconds since the epoch. */
  readonly t: number;
  readonly generation: number;
  readonly observedGeneration: number;
  readonly phase: string;
  readonly abort: boolean;
  readonly message: string;
  readonly strategy: "canary" | "blueGreen";
  /** Canary only: the step being executed (steps.length when all are done). */
  readonly stepIndex: number | null;
  readonly steps: number;
  /** Canary only: the weight the current step has set (100 when all steps are done). */
  readonly weight: number | null;
  readonly stableHash: string;
  readonly currentHash: string;
  readonly replicaSets: readonly ReplicaSetView[];
  readonly analysisRuns: readonly AnalysisView[];
  /** Blue-green: the hash each Service selects, and the hashes of the pods behind the preview Service's endpoints. */
  readonly activeSelector?: string;
  readonly previewSelector?: string;
  readonly previewEndpoints?: readonly string[];
}

const num = (v: unknown): number => (v === undefined || v === null || v === "" ? 0 : Number(v));

/** `setWeight` in effect at `index`: the last setWeight step at or before it; 100 past the last step. */
export function weightAt(steps: readonly Obj[], index: number | null): number | null {
  if (index === null) return null;
  if (index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) if (typeof steps[i]?.setWeight === "number") return steps[i].setWeight;
  return 0;
}

function version(image: string): string {
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(at + 1, at + 20);
  const colon = image.lastIndexOf(":");
  return colon > image.lastIndexOf("/") ? image.slice(colon + 1) : image;
}

const owned = (o: Obj, kind: string, name: string): boolean => (o.metadata?.ownerReferences ?? []).some((r: Obj) => r.kind === kind && r.name === name);

export function observe(t: number, items: readonly Obj[], rollout: string, services: { active?: string; preview?: string } = {}): Observation | undefined {
  const ro = items.find((o) => o.kind === "Rollout" && o.metadata?.name === rollout);
  if (ro === undefined) return undefined;
  const s = ro.status ?? {};
  const strategy: "canary" | "blueGreen" = ro.spec?.strategy?.blueGreen ? "blueGreen" : "canary";
  const steps: Obj[] = ro.spec?.strategy?.canary?.steps ?? [];
  const stepIndex = strategy === "canary" && s.currentStepIndex !== undefined ? num(s.currentStepIndex) : null;
  const replicaSets = items
    .filter((o) => o.kind === "ReplicaSet" && owned(o, "Rollout", rollout))
    .map((rs) => ({
      hash: rs.metadata?.labels?.[HASH_LABEL] ?? "",
      version: version(rs.spec?.template?.spec?.containers?.[0]?.image ?? ""),
      replicas: num(rs.spec?.replicas),
      ready: num(rs.status?.readyReplicas),
      created: rs.metadata?.creationTimestamp ?? "",
    }))
    .sort((a, b) => a.created.localeCompare(b.created))
    .map(({ created: _created, ...rs }) => rs);
  const analysisRuns = items
    .filter((o) => o.kind === "AnalysisRun" && owned(o, "Rollout", rollout))
    .map((ar) => ({
      name: ar.metadata.name as string,
      type: ar.metadata?.labels?.["rollout-type"] ?? "",
      hash: ar.metadata?.labels?.[HASH_LABEL] ?? "",
      phase: ar.status?.phase ?? "Pending",
      created: ar.metadata?.creationTimestamp ?? "",
      metrics: (ar.status?.metricResults ?? []).map((m: Obj) => {
        const ms: Obj[] = m.measurements ?? [];
        return { name: m.name, phase: m.phase ?? "", successful: num(m.successful), failed: num(m.failed), last: ms.length > 0 ? String(ms[ms.length - 1].value ?? ms[ms.length - 1].phase) : "" };
      }),
    }))
    .sort((a, b) => a.created.localeCompare(b.created) || a.name.localeCompare(b.name))
    .map(({ created: _created, ...ar }) => ar);
  const selector = (name?: string) => (name === undefined ? undefined : (items.find((o) => o.kind === "Service" && o.metadata?.name === name)?.spec?.selector?.[HASH_LABEL] ?? ""));
  const podHash = new Map<string, string>(items.filter((o) => o.kind === "Pod").map((p) => [p.metadata.name, p.metadata?.labels?.[HASH_LABEL] ?? ""]));
  const previewEndpoints =
    services.preview === undefined
      ? undefined
      : [
          ...new Set(
            items
              .filter((o) => o.kind === "EndpointSlice" && o.metadata?.labels?.["kubernetes.io/service-name"] === services.preview)
              .flatMap((es) => (es.endpoints ?? []) as Obj[])
              .filter((e) => e.conditions?.ready !== false && e.targetRef?.kind === "Pod")
              .map((e) => podHash.get(e.targetRef.name) ?? "?"),
          ),
        ].sort();
  return {
    t,
    generation: num(ro.metadata?.generation),
    observedGeneration: num(s.observedGeneration),
    phase: s.phase ?? "",
    abort: s.abort === true,
    message: s.message ?? "",
    strategy,
    stepIndex,
    steps: steps.length,
    weight: strategy === "canary" ? weightAt(steps, stepIndex) : null,
    stableHash: s.stableRS ?? "",
    currentHash: s.currentPodHash ?? "",
    replicaSets,
    analysisRuns,
    ...(services.active === undefined ? {} : { activeSelector: selector(services.active) }),
    ...(services.preview === undefined ? {} : { previewSelector: selector(services.preview), previewEndpoints }),
  };
}

const short = (hash: string) => hash || "-";

/** The ReplicaSet of a hash, or a zero view when there is none. */
export function replicaSet(o: Observation, hash: string): ReplicaSetView {
  return o.replicaSets.find((rs) => rs.hash === hash) ?? { hash, version: "?", replicas: 0, ready: 0 };
}

/** Name of a version for the logs: `1.0.1 (5f7b9c)`. */
const named = (o: Observation, hash: string) => `${replicaSet(o, hash).version} (${short(hash)})`;

/** One line per observation, without its time: the log prints a line only when it changes. */
export function describe(o: Observation): string {
  const parts: string[] = [`${o.phase || "?"}${o.abort ? " ABORTED" : ""}`];
  if (o.strategy === "canary") parts.push(`step ${o.stepIndex ?? "-"}/${o.steps} setWeight ${o.weight ?? "-"}%`);
  const rs = o.replicaSets.filter((r) => r.replicas > 0 || r.ready > 0 || r.hash === o.stableHash || r.hash === o.currentHash);
  parts.push(
    rs
      .map((r) => `${r.hash === o.stableHash ? "stable" : r.hash === o.currentHash ? (o.strategy === "canary" ? "canary" : "new") : "old"} ${r.version} ${r.ready}/${r.replicas}`)
      .join(", "),
  );
  if (o.activeSelector !== undefined) parts.push(`active -> ${named(o, o.activeSelector)}`);
  if (o.previewSelector !== undefined) parts.push(`preview -> ${named(o, o.previewSelector)} endpoints ${(o.previewEndpoints ?? []).map((h) => replicaSet(o, h).version).join(",") || "none"}`);
  for (const ar of o.analysisRuns.filter((a) => a.hash === o.currentHash)) {
    parts.push(`${ar.type || "analysis"} ${ar.phase} [${ar.metrics.map((m) => `${m.name} ${m.phase} ${m.successful}ok/${m.failed}fail ${m.last}`).join("; ")}]`);
  }
  if (o.message) parts.push(`"${o.message}"`);
  return parts.join(" | ");
}
