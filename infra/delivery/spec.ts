import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What the delivery slice needs to know about one service; a projection of the
 * stack config (`services[]`, `delivery`, `slo`), so the builders never see
 * config parsing and the tests build one by hand.
 */

export interface ResourceList {
  readonly cpu: string;
  readonly memory: string;
}

export interface ContainerResources {
  readonly request: ResourceList;
  readonly limit: ResourceList;
}

export interface DeliveredService {
  /** Short name (`orchestrator`): the container's name, and the root of every derived name. */
  readonly name: string;
  /** Image repository without tag or digest, such as `ghcr.io/leanvibe/agent-hive`. */
  readonly image: string;
  /** A pinned tag; `latest` is refused. Ignored when `digest` is set. */
  readonly tag?: string;
  /** `sha256:<64 hex>`; wins over `tag`, since only a digest names exactly one image. */
  readonly digest?: string;
  readonly port: number;
  readonly replicas: number;
  /** HTTP path answered by both probes (`/health`). */
  readonly healthPath: string;
  /** Requests and limits; default: the spec's `defaultResources`. */
  readonly resources?: ContainerResources;
  /**
   * The Service clients and the ingress address: an external contract, so it is
   * config and not derived (the guide's orchestrator is `agent-hive-service`).
   */
  readonly stableServiceName: string;
}

export interface CanaryStep {
  /** Percentage of pods on the new version, 1-100. */
  readonly setWeight: number;
  /** Pause after the weight is set; undefined pauses until someone promotes. */
  readonly pauseSeconds?: number;
}

export type DeliveryStrategy =
  | { readonly kind: "canary"; readonly steps: readonly CanaryStep[] }
  | {
      readonly kind: "blueGreen";
      /** Promote the preview without a human once the pre-promotion analysis passes. */
      readonly autoPromotionEnabled: boolean;
      /** Delay before the automatic promotion; only meaningful with `autoPromotionEnabled`. */
      readonly autoPromotionSeconds?: number;
      /** How long the old (blue) pods stay up after the switch, for a fast abort. */
      readonly scaleDownDelaySeconds: number;
    };

export interface Slo {
  /** The worst pod's errors per second (over `rateWindow`) above which a version is unhealthy. */
  readonly errorRatePerSecond: number;
  /** The worst pod's p95 response time in seconds above which a version is unhealthy. */
  readonly latencyP95Seconds: number;
  /** The window of every rate: the alerts' window, so analysis and alerts judge one figure. */
  readonly rateWindow: string;
}

export interface AnalysisSettings {
  /** Prometheus HTTP address, `http://<service>.<namespace>.svc:9090` (see `clusterServiceUrl`). */
  readonly prometheusAddress: string;
  /** Time between measurements, an Argo duration such as `1m` or `30s`. */
  readonly interval: string;
  /** Failed measurements tolerated before the analysis (and so the rollout) fails. */
  readonly failureLimit: number;
  /**
   * Measurements to take. Undefined runs the analysis in the background for the
   * whole canary; blue-green needs a count, or its pre-promotion analysis never ends.
   */
  readonly count?: number;
}

export interface DeliverySpec {
  readonly environment: string;
  readonly namespace: string;
  /** Labels every object carries; `app` and `app.kubernetes.io/name` are the platform's own. */
  readonly labels: Readonly<Record<string, string>>;
  readonly service: DeliveredService;
  /** Requests and limits of a service that sets none: the namespace's LimitRange defaults. */
  readonly defaultResources: ContainerResources;
  readonly strategy: DeliveryStrategy;
  readonly slo: Slo;
  readonly analysis: AnalysisSettings;
  /**
   * Who sets the running image: `stack` (every `pulumi up` applies the configured
   * tag) or `pipeline` (the application's pipeline sets it; `pulumi up` leaves it).
   */
  readonly imageOwner: "stack" | "pipeline";
}

export interface DeliveryArgs {
  readonly spec: DeliverySpec;
  /** The cluster the service runs in. */
  readonly provider: k8s.Provider;
  /** The environment's Namespace resource: everything here lives in it and waits for it. */
  readonly namespace: pulumi.Resource;
  /**
   * What installs the Argo Rollouts CRDs (the add-on's Helm release), so the
   * Rollout and AnalysisTemplate are never sent before their kinds exist
   * ("no matches for kind"). Empty when the CRDs come from outside the stack.
   */
  readonly crdDependencies: readonly pulumi.Resource[];
  /** What the pods read at start (the API key Secret): the Rollout waits for it. Default none. */
  readonly podDependencies?: readonly pulumi.Resource[];
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
// Argo Rollouts' duration syntax (Go's time.ParseDuration, whole units).
const ARGO_DURATION = /^([0-9]+(ms|s|m|h))+$/;

/**
 * Every problem with a spec that the Kubernetes schema cannot see but Argo
 * Rollouts would trip over at run time, each saying the bad value and the fix.
 */
export function deliverySpecProblems(spec: DeliverySpec): string[] {
  const problems: string[] = [];
  const s = spec.service;
  if (s.digest !== undefined && !DIGEST.test(s.digest)) {
    problems.push(`service ${s.name}: digest "${s.digest}" must be sha256: followed by 64 lowercase hex digits`);
  }
  if (s.digest === undefined && s.tag === undefined) {
    problems.push(`service ${s.name}: set a pinned tag (such as 1.4.2) or a digest (sha256:...)`);
  }
  if (s.digest === undefined && s.tag?.toLowerCase() === "latest") {
    problems.push(`service ${s.name}: tag "latest" is not a pinned version; set a release tag or a digest`);
  }
  if (!Number.isInteger(s.replicas) || s.replicas < 1) {
    problems.push(`service ${s.name}: replicas = ${s.replicas}: must be a whole number, at least 1`);
  }
  if (!ARGO_DURATION.test(spec.analysis.interval)) {
    problems.push(`analysis.interval = "${spec.analysis.interval}": must be a duration such as 30s, 1m or 1h`);
  }
  if (spec.strategy.kind === "canary") {
    const weights = spec.strategy.steps.map((step) => step.setWeight);
    if (weights.length === 0) problems.push("canary.steps is empty: give at least one step, such as { setWeight: 50, pauseSeconds: 60 }");
    weights.forEach((w, i) => {
      if (!Number.isInteger(w) || w < 1 || w > 100) problems.push(`canary.steps[${i}].setWeight = ${w}: must be a whole number 1-100`);
      if (i > 0 && w <= weights[i - 1]) problems.push(`canary.steps[${i}].setWeight = ${w}: weights must increase (previous ${weights[i - 1]})`);
    });
  } else {
    if (spec.analysis.count === undefined) {
      problems.push("blueGreen needs analysis.count: a pre-promotion analysis without a count never finishes, so the preview is never promoted");
    }
    if (spec.strategy.autoPromotionSeconds !== undefined && !spec.strategy.autoPromotionEnabled) {
      problems.push(`blueGreen.autoPromotionSeconds = ${spec.strategy.autoPromotionSeconds} has no effect while autoPromotionEnabled is false: drop it or enable auto-promotion`);
    }
  }
  return problems;
}

/** Throws one plain Error listing every problem, so a bad spec is fixed in one go. */
export function assertDeliverySpec(spec: DeliverySpec): void {
  const problems = deliverySpecProblems(spec);
  if (problems.length > 0) {
    throw new Error(`delivery of ${spec.service.name} in ${spec.namespace} is invalid:\n  - ${problems.join("\n  - ")}`);
  }
}
