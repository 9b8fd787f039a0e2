// The canary scenarios' helpers that bash cannot be (e2e/canary/run.sh calls these):
//   scrape-config --podmonitor <yaml> --metrics-source <host:port> --interval <d>
//                 (--api-server <url> --ca <f> --cert <f> --key <f> | --sd-file <json>)
//                  prometheus.yml (stdout) from the planned PodMonitor: Kubernetes discovery of the API server, or file_sd
//   discover --namespace <ns> --out <json>   the namespace's pods as Kubernetes discovery's targets, each second, until killed
//   metrics-source --port <n>        the pods' metrics by image tag, until killed
//   observe --namespace <ns> --rollout <name> --out <jsonl> [--active <svc>] [--preview <svc>]
//                  polls the API server each second until killed; prints a line when the release changes
//   judge completed|aborted|blue-green --observations <jsonl> --from <tag> --to <tag> --replicas <n>
//                  [--weights 25,50,75] [--failure-limit <n>] [--metric <name>] [--settle <s>]
//                  waits up to --settle s for the end state, prints the observed steps; exit 1 on a problem
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { parse, stringify } from "yaml";
import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { judgeAborted, judgeBlueGreen, judgeCompleted, Release, Verdict } from "./judge";
import { startMetricsSource } from "./metrics-source";
import { podTargetGroups } from "./discovery";
import { describe, observe, Observation } from "./observe";
import { canaryPrometheusConfig } from "./scrape-config";

function flags(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    if (!args[i].startsWith("--") || args[i + 1] === undefined) throw new Error(`bad argument "${args[i]}"`);
    out[args[i].slice(2)] = args[i + 1];
  }
  return out;
}

function need(f: Record<string, string>, ...names: string[]): string[] {
  return names.map((n) => {
    if (f[n] === undefined) throw new Error(`--${n} is required`);
    return f[n];
  });
}

function scrapeConfig(f: Record<string, string>): number {
  const [file, metricsSource, interval] = need(f, "podmonitor", "metrics-source", "interval");
  const podMonitor = parse(fs.readFileSync(file, "utf8")) as IPodMonitor;
  if (podMonitor?.kind !== "PodMonitor") throw new Error(`${file} is not a PodMonitor`);
  const discovery =
    f["sd-file"] !== undefined
      ? { file: f["sd-file"] }
      : (([apiServer, caFile, certFile, keyFile]) => ({ apiServer, tls: { caFile, certFile, keyFile } }))(need(f, "api-server", "ca", "cert", "key"));
  process.stdout.write(stringify(canaryPrometheusConfig({ podMonitor, discovery, metricsSource, scrapeInterval: interval }), { lineWidth: 0 }));
  return 0;
}

async function discoverLoop(f: Record<string, string>): Promise<number> {
  const [namespace, out] = need(f, "namespace", "out");
  let previous = "";
  for (;;) {
    const started = Date.now();
    const r = spawnSync("kubectl", ["get", "pods", "-n", namespace, "-o", "json"], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status === 0) {
      const groups = podTargetGroups(JSON.parse(r.stdout).items ?? []);
      const text = `${JSON.stringify(groups, null, 1)}\n`;
      if (text !== previous) {
        // Atomically, so file_sd never reads half a file.
        fs.writeFileSync(`${out}.tmp`, text);
        fs.renameSync(`${out}.tmp`, out);
        console.log(`${new Date().toISOString()} ${groups.length} target(s): ${groups.map((g) => `${g.labels.__meta_kubernetes_pod_name}=${g.targets[0]}`).join(" ")}`);
        previous = text;
      }
    } else {
      console.log(`kubectl get pods failed: ${r.stderr.trim().split("\n")[0]}`);
    }
    await sleep(Math.max(0, 1000 - (Date.now() - started)));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function observeLoop(f: Record<string, string>): Promise<number> {
  const [namespace, rollout, out] = need(f, "namespace", "rollout", "out");
  const kinds = "rollouts.argoproj.io,replicasets.apps,analysisruns.argoproj.io,services,endpointslices.discovery.k8s.io,pods";
  const t0 = Date.now();
  let previous = "";
  for (;;) {
    const started = Date.now();
    const r = spawnSync("kubectl", ["get", kinds, "-n", namespace, "-o", "json"], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status === 0) {
      const o = observe(Date.now(), JSON.parse(r.stdout).items ?? [], rollout, { active: f.active, preview: f.preview });
      if (o !== undefined) {
        fs.appendFileSync(out, `${JSON.stringify(o)}\n`);
        const line = describe(o);
        if (line !== previous) console.log(`t+${((o.t - t0) / 1000).toFixed(1).padStart(5)}s ${line}`);
        previous = line;
      }
    } else {
      console.log(`kubectl get failed: ${r.stderr.trim().split("\n")[0]}`);
    }
    await sleep(Math.max(0, 1000 - (Date.now() - started)));
  }
}

function readObservations(file: string): Observation[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Observation];
      } catch {
        return []; // a line being written
      }
    });
}

async function judge(kind: string | undefined, f: Record<string, string>): Promise<number> {
  const [file, from, to, replicas] = need(f, "observations", "from", "to", "replicas");
  const release: Release = { from, to, replicas: Number(replicas) };
  const verdictOf = (obs: Observation[]): Verdict => {
    if (kind === "completed") return judgeCompleted(obs, release, need(f, "weights")[0].split(",").map(Number));
    if (kind === "aborted") return judgeAborted(obs, release, Number(need(f, "failure-limit")[0]), need(f, "metric")[0]);
    if (kind === "blue-green") return judgeBlueGreen(obs, release);
    throw new Error(`judge: unknown kind "${kind}": completed, aborted or blue-green`);
  };
  const deadline = Date.now() + Number(f.settle ?? "30") * 1000;
  let v = verdictOf(readObservations(file));
  while (!v.settled && Date.now() < deadline) {
    await sleep(1000);
    v = verdictOf(readObservations(file));
  }
  console.log(`observed steps of ${from} -> ${to}:`);
  for (const s of v.steps) console.log(`  ${s}`);
  if (v.problems.length > 0) {
    console.log(`FAIL: ${v.problems.join("; ")}`);
    return 1;
  }
  console.log(`ok: ${kind} as expected`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "judge") return judge(rest[0], flags(rest.slice(1)));
  const f = flags(rest);
  if (command === "scrape-config") return scrapeConfig(f);
  if (command === "observe") return observeLoop(f);
  if (command === "discover") return discoverLoop(f);
  if (command === "metrics-source") {
    const s = await startMetricsSource(Number(need(f, "port")[0]));
    console.log(`metrics source on 127.0.0.1:${s.port}`);
    const stop = () => void s.stop().then(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    return new Promise<number>(() => {}); // until a signal (or the caller's timeout) ends it
  }
  throw new Error("usage: canary-cli.ts scrape-config|discover|metrics-source|observe|judge ... (see the file's header)");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`canary-cli: ${e.message}`);
    process.exit(1);
  },
);
