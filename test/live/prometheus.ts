import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { call } from "./http";
import { Daemon, freePort, startDaemon, startOwning, tempDir } from "./process";

export { waitFor } from "./process";

/*
 * A real Prometheus on 127.0.0.1, for tests that need rules evaluated, targets
 * scraped and alerts sent the way production does it.
 */

export type PrometheusConfig = object | string;

export interface PrometheusOptions {
  /** prometheus.yml: a document (written as YAML), its text, or a function giving either. */
  config: PrometheusConfig | (() => PrometheusConfig);
  /** File name -> YAML text, written into the dir; added to `rule_files` when `config` is a document. */
  ruleFiles?: Record<string, string>;
  /** Reuse a TSDB (e.g. another instance's `dataDir`). Yours: not removed on stop. Default: fresh, in `dir`. */
  dataDir?: string;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface Series {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  value: string;
}

export interface RuleGroups {
  groups: Array<{ name: string; file: string; rules: Array<{ name: string; type: string; health: string; lastError?: string; state?: string } & Record<string, unknown>> }>;
}

export interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastError: string;
}

export interface Prometheus {
  readonly url: string;
  readonly dir: string;
  readonly dataDir: string;
  query(expr: string, time?: number): Promise<Sample[]>;
  queryRange(expr: string, start: number, end: number, step: number): Promise<Series[]>;
  alerts(): Promise<Alert[]>;
  rules(): Promise<RuleGroups>;
  targets(): Promise<Target[]>;
  /** Writes a file into `dir` atomically, so file_sd never reads half of it. */
  writeFile(name: string, text: string): void;
  reload(): Promise<void>;
  restart(opts?: { wipeData?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Prometheus writes non-finite values its own (Go) way, which Number() half understands. */
export function parseValue(v: string): number {
  if (v === "+Inf") return Infinity;
  if (v === "-Inf") return -Infinity;
  return Number(v);
}

function configText(config: PrometheusOptions["config"], ruleFiles: string[]): string {
  const doc = typeof config === "function" ? config() : config;
  if (typeof doc === "string") return doc;
  const listed = (doc as { rule_files?: string[] }).rule_files ?? [];
  const withRules = ruleFiles.length === 0 ? doc : { ...doc, rule_files: [...listed, ...ruleFiles.filter((f) => !listed.includes(f))] };
  return stringify(withRules, { lineWidth: 0 });
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export async function startPrometheus(opts: PrometheusOptions): Promise<Prometheus> {
  const dir = tempDir("prometheus");
  const dataDir = opts.dataDir ?? path.join(dir, "data");
  const configFile = path.join(dir, "prometheus.yml");
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const ruleFiles = opts.ruleFiles ?? {};
    for (const [name, text] of Object.entries(ruleFiles)) fs.writeFileSync(path.join(dir, name), text);
    // Relative paths in the config (rule files, file_sd files) resolve against its own dir.
    fs.writeFileSync(configFile, configText(opts.config, Object.keys(ruleFiles)));
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const launch = (): Promise<Daemon> =>
    startDaemon({
      name: "prometheus",
      command: "/usr/bin/prometheus",
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--web.enable-lifecycle",
        "--web.enable-admin-api",
        // Alerts that fire before the Alertmanagers are discovered (discovery
        // publishes only every 5 s) are dropped, then resent only after this
        // delay: 1m by default, longer than any live test waits.
        "--rules.alert.resend-delay=1s",
      ],
      dir,
      readyUrl: `${url}/-/ready`,
    });

  let daemon = await startOwning(dir, launch);

  /** Prometheus's API answers errors as JSON too (400, 422, 503): read the body whatever the status. */
  const api = async <T>(what: string, params: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(`${url}/api/v1/${what}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let body: { status?: string; data?: T; errorType?: string; error?: string };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`prometheus ${what}: HTTP ${response.status}: ${text.trim()}`);
    }
    if (body.status !== "success") throw new Error(`prometheus ${what} ${JSON.stringify(params)}: ${body.errorType}: ${body.error}`);
    return body.data as T;
  };

  type Result = { resultType: "vector"; result: Array<{ metric: Record<string, string>; value: [number, string] }> } | { resultType: "scalar"; result: [number, string] };

  return {
    url,
    dir,
    dataDir,
    async query(expr, time) {
      const data = await api<Result>("query", time === undefined ? { query: expr } : { query: expr, time: String(time) });
      if (data.resultType === "scalar") return [{ metric: {}, value: parseValue(data.result[1]) }];
      if (data.resultType !== "vector") throw new Error(`prometheus query ${expr}: unexpected result type ${(data as { resultType: string }).resultType}`);
      return data.result.map((r) => ({ metric: r.metric, value: parseValue(r.value[1]) }));
    },
    async queryRange(expr, start, end, step) {
      const data = await api<{ result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }>("query_range", {
        query: expr,
        start: String(start),
        end: String(end),
        step: String(step),
      });
      return data.result.map((r) => ({ metric: r.metric, values: r.values.map(([t, v]): [number, number] => [t, parseValue(v)]) }));
    },
    async alerts() {
      const data = await api<{ alerts: Alert[] }>("alerts");
      return data.alerts.map((a) => ({ labels: a.labels, annotations: a.annotations, state: a.state, value: a.value }));
    },
    rules: () => api<RuleGroups>("rules"),
    async targets() {
      const data = await api<{ activeTargets: Target[] }>("targets");
      return data.activeTargets.map((t) => ({ labels: t.labels, scrapeUrl: t.scrapeUrl, health: t.health, lastError: t.lastError }));
    },
    writeFile(name, text) {
      writeAtomically(path.join(dir, name), text);
    },
    async reload() {
      // Answers 500 with the reason when the new config does not load.
      await call("POST", `${url}/-/reload`);
    },
    async restart(restartOpts) {
      await daemon.stop();
      if (restartOpts?.wipeData) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        fs.mkdirSync(dataDir, { recursive: true });
      }
      daemon = await launch();
    },
    async stop() {
      await daemon.stop();
      // A dataDir passed in lives outside `dir`, so it survives this.
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
