import * as http from "node:http";
import type { Exporter } from "../../test/live/exporter";
import { HEALTHY, PodBehaviour, SimulatedPods } from "../../test/live/app-pods";
import { parseMetricsSourcePath } from "./scrape-config";

/*
 * What the kwok pods "run": one HTTP server on 127.0.0.1 that answers each
 * pod's scrape (the path testOnlyRedirect gives it) with the service's metrics
 * (test/live/app-pods.ts: the catalogue's error counter, latency histogram and
 * active agents, counters growing with time), behaving as the pod's image tag
 * says. A release scenario is therefore only a tag in the stack's config.
 */

/** Errors per second of a `-bad` pod: fifty times staging's SLO of 0.1. */
export const BAD_ERRORS_PER_SECOND = 5;

export type Behaviour = { kind: "healthy" | "bad"; pod: PodBehaviour } | { kind: "blind" };

/** `…:<tag>-bad` breaks the error-rate SLO, `…:<tag>-blind` exposes no metrics (404), anything else is healthy. */
export function behaviourOf(image: string): Behaviour {
  const tag = /:([^:/@]+)(@|$)/.exec(image)?.[1] ?? "";
  if (tag.endsWith("-blind")) return { kind: "blind" };
  if (tag.endsWith("-bad")) return { kind: "bad", pod: { ...HEALTHY, errorsPerSecond: BAD_ERRORS_PER_SECOND } };
  return { kind: "healthy", pod: HEALTHY };
}

/** SimulatedPods publishes each pod's exposition text here; the server reads it back. */
class Texts implements Exporter {
  readonly url = "";
  readonly address = "";
  private readonly texts = new Map<string, string>();
  setPod(pod: string, text: string): void {
    this.texts.set(pod, text);
  }
  removePod(pod: string): void {
    this.texts.delete(pod);
  }
  pods(): string[] {
    return [...this.texts.keys()];
  }
  get(pod: string): string | undefined {
    return this.texts.get(pod);
  }
  async stop(): Promise<void> {}
}

export interface MetricsSource {
  readonly port: number;
  stop(): Promise<void>;
}

export function startMetricsSource(port: number, log: (line: string) => void = console.log): Promise<MetricsSource> {
  const texts = new Texts();
  const pods = new SimulatedPods(texts);
  const seen = new Map<string, string>();
  pods.run(250);
  const server = http.createServer((req, res) => {
    const target = parseMetricsSourcePath(req.url ?? "");
    if (req.method !== "GET" || target === undefined) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not a pod's metrics path\n");
      return;
    }
    const b = behaviourOf(target.image);
    if (seen.get(target.pod) !== target.image) {
      seen.set(target.pod, target.image);
      log(`${new Date().toISOString()} first scrape of ${target.pod} (${target.image}): ${b.kind}`);
    }
    if (b.kind === "blind") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("this image exposes no metrics\n");
      return;
    }
    if (texts.get(target.pod) === undefined) pods.set(target.pod, b.pod);
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }).end(texts.get(target.pod));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve({
        port: (server.address() as { port: number }).port,
        stop: () =>
          new Promise<void>((done) => {
            pods.stop();
            server.close(() => done());
            server.closeAllConnections();
          }),
      }),
    );
  });
}
