import { METRICS } from "../../infra/catalogue/metrics";
import { Exporter, MetricFamily, exposition } from "./exporter";

/*
 * Simulated agent-hive pods: what each one's `/metrics` would say, driven by
 * the test. Counters grow from the configured rates as time passes, so
 * Prometheus's rate() sees real traffic; histograms put every request in the
 * first bucket at or above the pod's latency.
 */

/** What one pod is doing now. */
export interface PodBehaviour {
  requestsPerSecond: number;
  errorsPerSecond: number;
  latencySeconds: number;
  activeAgents: number;
}

export const HEALTHY: PodBehaviour = { requestsPerSecond: 20, errorsPerSecond: 0.02, latencySeconds: 0.2, activeAgents: 5 };

/** Response-time buckets of the service's histogram (seconds). */
export const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface PodState {
  behaviour: PodBehaviour;
  requests: number;
  errors: number;
  latencySum: number;
  buckets: number[];
}

/** Pods served by an exporter; `tick()` advances their counters and republishes them. */
export class SimulatedPods {
  private readonly pods = new Map<string, PodState>();
  private last = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly exporter: Exporter) {}

  /** Starts or changes a pod; its counters keep growing from where they were. */
  set(pod: string, behaviour: Partial<PodBehaviour> = {}): void {
    const state = this.pods.get(pod);
    if (state) state.behaviour = { ...state.behaviour, ...behaviour };
    else this.pods.set(pod, { behaviour: { ...HEALTHY, ...behaviour }, requests: 0, errors: 0, latencySum: 0, buckets: LATENCY_BUCKETS.map(() => 0) });
    this.publish(pod);
  }

  remove(pod: string): void {
    this.pods.delete(pod);
    this.exporter.removePod(pod);
  }

  names(): string[] {
    return [...this.pods.keys()];
  }

  /** Republishes every pod each `intervalMs` until `stop()`. */
  run(intervalMs = 200): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  tick(now = Date.now()): void {
    const seconds = (now - this.last) / 1000;
    this.last = now;
    for (const [pod, s] of this.pods) {
      const requests = s.behaviour.requestsPerSecond * seconds;
      s.requests += requests;
      s.errors += s.behaviour.errorsPerSecond * seconds;
      s.latencySum += requests * s.behaviour.latencySeconds;
      LATENCY_BUCKETS.forEach((le, i) => {
        if (s.behaviour.latencySeconds <= le) s.buckets[i] += requests;
      });
      this.publish(pod);
    }
  }

  private publish(pod: string): void {
    const s = this.pods.get(pod);
    if (s) this.exporter.setPod(pod, exposition(families(s)));
  }
}

function families(s: PodState): MetricFamily[] {
  return [
    { name: METRICS.errors, type: "counter", help: "Errors", samples: [{ value: s.errors }] },
    {
      name: METRICS.responseTimeBucket.replace(/_bucket$/, ""),
      type: "histogram",
      help: "Response time",
      samples: [
        ...LATENCY_BUCKETS.map((le, i) => ({ suffix: "_bucket", labels: { le: String(le) }, value: s.buckets[i] })),
        { suffix: "_bucket", labels: { le: "+Inf" }, value: s.requests },
        { suffix: "_sum", value: s.latencySum },
        { suffix: "_count", value: s.requests },
      ],
    },
    { name: METRICS.activeAgents, type: "gauge", help: "Active agents", samples: [{ value: s.behaviour.activeAgents }] },
  ];
}
