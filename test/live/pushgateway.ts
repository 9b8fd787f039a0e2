import * as fs from "node:fs";
import * as path from "node:path";
import { call } from "./http";
import { Daemon, freePort, startDaemon, startOwning, tempDir } from "./process";

/*
 * A real Pushgateway on 127.0.0.1, for code that pushes metrics from jobs
 * (e.g. DORA records) and for Prometheus to scrape them back.
 */

export interface PushgatewayOptions {
  /** Keep pushed groups in a file in `dir` (written every second), so they survive restart(). */
  persistenceFile?: boolean;
}

export interface Pushgateway {
  readonly url: string;
  /** host:port, for a scrape config's targets. */
  readonly address: string;
  readonly dir: string;
  /** `path` like /metrics/job/x/run/1; `body` in text exposition format. PUT replaces the group, POST merges. */
  push(path: string, body: string, method?: "PUT" | "POST"): Promise<void>;
  delete(path: string): Promise<void>;
  /** Its own /metrics: every pushed sample plus push_time_seconds and its own metrics. */
  metrics(): Promise<string>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPushgateway(opts: PushgatewayOptions = {}): Promise<Pushgateway> {
  const dir = tempDir("pushgateway");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [`--web.listen-address=127.0.0.1:${port}`];
  // Debian's build persists to /var/lib/prometheus/pushgateway.data unless told
  // otherwise: every test's Pushgateway would share (and inherit) that file.
  if (opts.persistenceFile) args.push(`--persistence.file=${path.join(dir, "pushgateway.data")}`, "--persistence.interval=1s");
  else args.push("--persistence.file=");
  const launch = (): Promise<Daemon> => startDaemon({ name: "pushgateway", command: "/usr/bin/prometheus-pushgateway", args, dir, readyUrl: `${url}/-/ready` });

  let daemon = await startOwning(dir, launch);
  return {
    url,
    address: `127.0.0.1:${port}`,
    dir,
    async push(urlPath, body, method = "PUT") {
      // The text format needs its final newline; without it the last line is rejected.
      await call(method, `${url}${urlPath}`, body.endsWith("\n") ? body : `${body}\n`, { "Content-Type": "text/plain; version=0.0.4" });
    },
    async delete(urlPath) {
      await call("DELETE", `${url}${urlPath}`);
    },
    metrics: () => call("GET", `${url}/metrics`),
    async restart() {
      await daemon.stop();
      daemon = await launch();
    },
    async stop() {
      await daemon.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
