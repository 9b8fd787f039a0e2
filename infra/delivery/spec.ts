import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ImageOwner } from "../catalogue/pipeline";

/**
 * What the delivery slice needs to know about one service; a projection of the
 * resolved stack config (`services[]`, `delivery`, `slo`), so the builders
 * never see config parsing and the tests build one by hand. The config edge
 * has checked every value and resolved every default: what the types cannot
 * say (a weight is 1-100 and increasing, a duration parses) holds already.
 */

export interface ResourceList {
  readonly cpu: string;
  readonly memory: string;
}

export interface ContainerResources {
  readonly request: ResourceList;
  readonly limit: ResourceList;
}

/**
 * How an image is pinned: by digest (`sha256:<64 hex>`, which names exactly
 * one image, and wins when the config sets both) or by a release tag (never
 * `latest`). Nothing else can reach the pod template.
 */
export type ImagePin = { readonly digest: string } | { readonly tag: string };

export interface DeliveredService {
  /** Short name (`orchestrator`): the container's name, and the root of every derived name. */
  readonly name: string;
  /** Image repository without tag or digest, such as `ghcr.io/leanvibe/agent-hive`. */
  readonly image: string;
  readonly pin: ImagePin;
  readonly port: number;
  readonly replicas: number;
  /** HTTP path answered by both probes (`/health`). */
  readonly healthPath: string;
  /** Requests and limits: the service's own, else the namespace's LimitRange defaults. */
  readonly resources: ContainerResources;
  /**
   * The Service clients and the ingress address: an external contract, so it is
   * config and not derived (the guide's orchestrator is `agent-hive-service`).
   */
  readonly stableServiceName: string;
}

export interface CanaryStep {
  /** Percentage of pods on the new version, 1-100, higher than the step before. */
  readonly setWeight: number;
  /** Pause after the weight is set; undefined pauses until someone promotes. */
  readonly pauseSeconds?: number;
}

/** Blue-green's promotion: by a person (`kubectl argo rollouts promote`), or automatic, after an optional delay. */
export type BlueGreenPromotion =
  | { readonly autoPromotionEnabled: false }
  | {
      /** Promote the preview without a human once the pre-promotion analysis passes. */
      readonly autoPromotionEnabled: true;
      /** Delay before the automatic promotion; default Argo's (none). */
      readonly autoPromotionSeconds?: number;
    };

export type DeliveryStrategy =
  | {
      readonly kind: "canary";
      readonly steps: readonly [CanaryStep, ...CanaryStep[]];
      /** Measurements of the background analysis; undefined runs it for the whole canary. */
      readonly analysisCount?: number;
    }
  | ({
      readonly kind: "blueGreen";
      /** How long the old (blue) pods stay up after the switch, for a fast abort. */
      readonly scaleDownDelaySeconds: number;
      /** Measurements of the pre- and post-promotion analyses: without a count they never finish, and the preview is never promoted. */
      readonly analysisCount: number;
    } & BlueGreenPromotion);

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
}

export interface DeliverySpec {
  readonly environment: string;
  readonly namespace: string;
  /** Labels every object carries; `app` and `app.kubernetes.io/name` are the platform's own. */
  readonly labels: Readonly<Record<string, string>>;
  readonly service: DeliveredService;
  readonly strategy: DeliveryStrategy;
  readonly slo: Slo;
  readonly analysis: AnalysisSettings;
  /**
   * Who sets the running image: `stack` (every `pulumi up` applies the configured
   * tag) or `pipeline` (the application's pipeline sets it; `pulumi up` leaves it).
   */
  readonly imageOwner: ImageOwner;
  /**
   * The pull secrets of private registries, by name, that the service's
   * ServiceAccount lists; empty when images are pulled anonymously.
   */
  readonly imagePullSecrets: readonly string[];
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
  /** What the pods read or pull with at start (the API key and pull Secrets): the Rollout waits for them. Default none. */
  readonly podDependencies?: readonly pulumi.Resource[];
}
