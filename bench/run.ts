import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

/**
 * `npm run bench`: the cost of planning and checking the platform as it grows,
 * beside the floor (bare resources through the Pulumi SDK's mocks) and a peer
 * (cdk8s synthesising the same Kubernetes objects). Every figure is the median
 * of several fresh processes. Prints a table, writes bench/results.json, and
 * exits 1 when a target is missed.
 */
const ROOT = path.resolve(__dirname, "..");
const SIZES = [1, 10, 50, 100];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// How package.json's scripts load the sources (stacks/loader.cjs): what every figure here pays.
const LOADER = path.join(ROOT, "stacks", "loader.cjs");

interface Sample {
  readonly totalMs: number;
  readonly maxRssMb: number;
  readonly planMs?: number;
  readonly warmPlanMs?: number;
  readonly warmMs?: number;
  readonly policyMs?: number;
  readonly resources?: number;
  readonly evaluations?: number;
  readonly objects?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function node(args: string[]): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["-r", LOADER, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed:\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/** Quotes a path for sh. */
const q = (p: string) => `'${p.replace(/'/g, "'\\''")}'`;

/** Wall and CPU (user + system, the command and every process it waited for) of a shell command. */
interface Timed {
  readonly ms: number;
  readonly cpuMs: number;
}

/**
 * Runs `command` under sh and reads the shell's own children's CPU from /proc, so a figure
 * can be told apart from the load of whatever else the machine runs. CPU is NaN off Linux.
 */
function timed(command: string, label: string): Timed {
  const statFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-cpu-")), "stat");
  const t0 = performance.now();
  const r = spawnSync("sh", ["-c", `${command}\ns=$?\ncat /proc/$$/stat > ${q(statFile)} 2>/dev/null\nexit $s`], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${label} failed:\n${(r.stdout + r.stderr).slice(-4000)}`);
  let cpuMs = NaN;
  try {
    // Fields 16 and 17 (cutime, cstime), after the parenthesised command name; clock ticks of 10 ms.
    const fields = fs.readFileSync(statFile, "utf8").split(") ")[1].split(" ");
    cpuMs = (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    // not Linux
  }
  fs.rmSync(path.dirname(statFile), { recursive: true, force: true });
  return { ms, cpuMs };
}

function measure(mode: string, n: number): Sample[] {
  return Array.from({ length: RUNS }, () => JSON.parse(node(["bench/measure.ts", mode, String(n)]).stdout.trim().split("\n").pop() as string) as Sample);
}

/** Both default stacks, `npm run plan` then `npm run policy` as their scripts run them (npm's own start-up aside). */
function defaultStacks(): { ms: number; cpuMs: number } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-out-"));
  const cli = (script: string) => `${q(process.execPath)} -r ${q(LOADER)} ${q(path.join(ROOT, script))} --out ${q(out)} > /dev/null`;
  try {
    // The first run fills the transpile cache (stacks/loader.cjs) if it is not already: not counted.
    timed(`${cli("stacks/offline/plan-cli.ts")} && ${cli("stacks/offline/policy-cli.ts")}`, "plan + policy");
    const runs = Array.from({ length: RUNS }, () => timed(`${cli("stacks/offline/plan-cli.ts")} && ${cli("stacks/offline/policy-cli.ts")}`, "plan + policy"));
    return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** `npm test`: typecheck, lint and the unit tier. BENCH_TEST_RUNS runs (default 1), the median. */
function npmTest(): { ms: number; cpuMs: number; runs: number } {
  const n = Number(process.env.BENCH_TEST_RUNS ?? 1);
  const runs = Array.from({ length: n }, () => timed("npm test --silent 2>&1", "npm test"));
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), runs: n };
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

interface Row {
  services: number;
  resources: number;
  resourcesPerService: number;
  planPolicyMs: number;
  peakMemoryMb: number;
  evaluationsPerSecond: number;
  floorMs: number;
  warmPlanMs: number;
  warmFloorMs: number;
  bareFloorMs: number;
  perResourceVsFloor: number;
  peerCdk8sMs: number;
  peerObjects: number;
}

function main() {
  const rows: Row[] = [];
  for (const n of SIZES) {
    const platform = measure("platform", n);
    const resources = platform[0].resources ?? 0;
    const floor = measure("floor", n);
    const bare = measure("bare-floor", resources);
    const peer = measure("peer", n);
    const planPolicyMs = median(platform.map((s) => s.totalMs));
    const policyMs = median(platform.map((s) => s.policyMs ?? 0));
    const floorMs = median(floor.map((s) => s.totalMs));
    const warmFloorMs = median(floor.map((s) => s.warmMs ?? s.totalMs));
    const warmPlanMs = median(platform.map((s) => s.warmPlanMs ?? s.planMs ?? s.totalMs));
    rows.push({
      services: n,
      resources,
      resourcesPerService: resources / n,
      planPolicyMs,
      peakMemoryMb: Math.max(...platform.map((s) => s.maxRssMb)),
      evaluationsPerSecond: (platform[0].evaluations ?? 0) / (policyMs / 1000),
      floorMs,
      warmPlanMs,
      warmFloorMs,
      bareFloorMs: median(bare.map((s) => s.totalMs)),
      // Steady state, module loading excluded on both sides: the cost a resource adds.
      perResourceVsFloor: warmPlanMs / warmFloorMs,
      peerCdk8sMs: median(peer.map((s) => s.totalMs)),
      peerObjects: peer[0].objects ?? 0,
    });
  }
  const loadBefore = loadAverage();
  const stacks = defaultStacks();
  const defaultStacksCliMs = stacks.ms;
  const test = process.env.BENCH_SKIP_TESTS ? undefined : npmTest();
  const npmTestMs = test?.ms;
  const loadAfter = loadAverage();

  const row = (n: number) => rows.find((r) => r.services === n) as Row;
  const targets = [
    { target: "both default stacks plan + policy (CLI wall) < 1.5 s", value: `${(defaultStacksCliMs / 1000).toFixed(2)} s (CPU ${(stacks.cpuMs / 1000).toFixed(2)} s)`, ok: defaultStacksCliMs < 1500 },
    { target: "100 services plan + policy < 10 s", value: `${(row(100).planPolicyMs / 1000).toFixed(2)} s`, ok: row(100).planPolicyMs < 10_000 },
    { target: "100 services peak memory < 1 GB", value: `${row(100).peakMemoryMb.toFixed(0)} MB`, ok: row(100).peakMemoryMb < 1024 },
    // Warm plans: cold times carry a fixed start-up that would hide superlinear growth.
    { target: "linear: 100 services <= 12 x 10 services (warm plans)", value: `${(row(100).warmPlanMs / row(10).warmPlanMs).toFixed(1)} x`, ok: row(100).warmPlanMs <= 12 * row(10).warmPlanMs },
    { target: ">= 20,000 policy evaluations / s", value: `${Math.round(Math.min(...rows.map((r) => r.evaluationsPerSecond)))} / s (slowest size)`, ok: Math.min(...rows.map((r) => r.evaluationsPerSecond)) >= 20_000 },
    { target: "<= 1.5 x the SDK floor per resource (100 services, same resources, warm)", value: `${row(100).perResourceVsFloor.toFixed(2)} x`, ok: row(100).perResourceVsFloor <= 1.5 },
    ...(test === undefined ? [] : [{ target: "npm test < 45 s", value: `${(test.ms / 1000).toFixed(1)} s (CPU ${(test.cpuMs / 1000).toFixed(0)} s${test.runs > 1 ? `, median of ${test.runs}` : ""})`, ok: test.ms < 45_000 }]),
  ];

  const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const table = [
    "| services | resources | per service | plan + policy, cold (ms) | peak RSS (MB) | policy evals/s | plan, warm (ms) | SDK floor: same resources, warm (ms) | vs floor | bare floor (ms) | cdk8s synth (ms) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.services} | ${r.resources} | ${r.resourcesPerService.toFixed(1)} | ${r.planPolicyMs.toFixed(0)} | ${r.peakMemoryMb.toFixed(0)} | ${Math.round(r.evaluationsPerSecond)} | ${r.warmPlanMs.toFixed(0)} | ${r.warmFloorMs.toFixed(0)} | ${r.perResourceVsFloor.toFixed(2)} x | ${r.bareFloorMs.toFixed(0)} | ${r.peerCdk8sMs.toFixed(1)} |`),
    "",
    "| target | measured | |",
    "|---|---|---|",
    ...targets.map((t) => `| ${t.target} | ${t.value} | ${t.ok ? "met" : "MISSED"} |`),
  ].join("\n");
  // Wall times on a shared machine move with its load; the CPU figures much less.
  console.log(`machine: ${machine}; ${RUNS} runs per figure, medians; load average (1, 5, 15 min) ${loadBefore} before the targets' runs, ${loadAfter} after\n\n${table}`);
  fs.writeFileSync(
    path.join(ROOT, "bench", "results.json"),
    `${JSON.stringify({ date: new Date().toISOString(), machine, runs: RUNS, loadAverage: { before: loadBefore, after: loadAfter }, rows, defaultStacksCliMs, defaultStacksCpuMs: stacks.cpuMs, npmTestMs, npmTestCpuMs: test?.cpuMs, targets }, null, 2)}\n`,
  );
  process.exit(targets.every((t) => t.ok) ? 0 : 1);
}

main();
