import { parseStackConfig } from "../config/parse";
import { UsageError, runMain } from "../offline/args";
import { readStackFile } from "../offline/stack-file";
import { Deployment, PushedGroup, RecordPlan, parseTime, planRecord, readState, validateDeployment } from "./dora";

const USAGE = `usage: npm run dora -- record --stack <stack> --run <run id> [--attempt <n>] --status <success|reason>
                       --commit-time <ISO 8601|unix s> [--deployed-at <ISO 8601|unix s>]
                       [--pushgateway <url>] [--dry-run]
Records one deployment for the DORA metrics in the Pushgateway (default http://127.0.0.1:9091,
the port-forward the pipelines open). --dry-run prints what it would push and delete, and changes nothing.`;

const FLAGS = ["--stack", "--run", "--attempt", "--status", "--commit-time", "--deployed-at", "--pushgateway"] as const;
type Flag = (typeof FLAGS)[number];

function parseArgs(argv: readonly string[]): { values: Partial<Record<Flag, string>>; dryRun: boolean } {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h") throw new UsageError(USAGE, 0);
  if (command !== "record") throw new UsageError(`unknown command ${command ?? "(none)"}\n${USAGE}`);
  const values: Partial<Record<Flag, string>> = {};
  let dryRun = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf("=");
    const flag = (arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg) as Flag;
    if (arg === "--dry-run") {
      dryRun = true;
      continue;
    }
    if (!FLAGS.includes(flag)) throw new UsageError(`unknown argument ${arg}\n${USAGE}`);
    const value = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
    values[flag] = value;
  }
  return { values, dryRun };
}

/** The deployment the flags describe, its environment and namespace from the stack's own config. */
function deploymentOf(values: Partial<Record<Flag, string>>, now: number): Deployment {
  const missing = (["--stack", "--run", "--status", "--commit-time"] as const).filter((f) => values[f] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(", ")}\n${USAGE}`);
  const stack = values["--stack"] ?? "";
  const problems: string[] = [];
  let place = { environment: "", namespace: "" };
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    problems.push(`--stack "${stack}": a stack name is letters, digits, '.', '_' and '-' (Pulumi.<stack>.yaml)`);
  } else {
    try {
      const config = parseStackConfig(readStackFile(process.cwd(), stack));
      place = { environment: config.environment, namespace: config.namespace.name };
    } catch (e) {
      // A missing stack file or bad config: its own message says what to do.
      problems.push((e as Error).message);
    }
  }
  const deployment: Deployment = {
    ...place,
    run: values["--run"] ?? "",
    attempt: Number(values["--attempt"] ?? "1"),
    status: values["--status"] ?? "",
    commitTime: parseTime(values["--commit-time"] ?? ""),
    deployedAt: values["--deployed-at"] === undefined ? now : parseTime(values["--deployed-at"]),
  };
  problems.push(...validateDeployment(deployment));
  if (problems.length > 0) throw new UsageError(problems.join("\n"), 1);
  return deployment;
}

type ApiFamily = { metrics?: { labels: Record<string, string>; value?: string; sum?: string; count?: string }[] };

/** The Pushgateway's groups from its JSON API, as the pure functions read them. */
async function groups(base: string): Promise<PushedGroup[]> {
  const response = await fetch(`${base}/api/v1/metrics`, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new UsageError(`the Pushgateway at ${base} answered ${response.status}: is the port-forward up?`, 1);
  const body = (await response.json()) as { data?: Record<string, unknown>[] };
  return (body.data ?? []).map((g) => ({
    labels: (g.labels ?? {}) as Record<string, string>,
    families: Object.fromEntries(
      Object.entries(g)
        .filter(([, v]) => typeof v === "object" && v !== null && "metrics" in v)
        .map(([name, v]) => [name, (v as ApiFamily).metrics ?? []]),
    ),
  }));
}

async function apply(base: string, plan: RecordPlan): Promise<void> {
  for (const { path, body } of plan.put) {
    const r = await fetch(`${base}${path}`, { method: "PUT", body, signal: AbortSignal.timeout(15_000) });
    if (!r.ok) throw new UsageError(`PUT ${path} answered ${r.status}: ${(await r.text()).trim()}`, 1);
  }
  for (const path of plan.delete) {
    const r = await fetch(`${base}${path}`, { method: "DELETE", signal: AbortSignal.timeout(15_000) });
    if (!r.ok && r.status !== 404) throw new UsageError(`DELETE ${path} answered ${r.status}`, 1);
  }
}

/** `npm run dora -- record`: one deployment into the DORA metrics. */
async function main(argv: readonly string[]): Promise<number> {
  const { values, dryRun } = parseArgs(argv);
  const deployment = deploymentOf(values, Math.floor(Date.now() / 1000));
  const base = (values["--pushgateway"] ?? "http://127.0.0.1:9091").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+$/.test(base)) throw new UsageError(`--pushgateway "${base}": must be an http(s) URL without a path, such as http://127.0.0.1:9091`);
  let current: PushedGroup[];
  try {
    current = await groups(base);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot reach the Pushgateway at ${base} (${(e as Error).message}): open the port-forward first`, 1);
  }
  const plan = planRecord(deployment, readState(current, deployment));
  for (const line of plan.summary) console.log(line);
  if (dryRun) {
    for (const { path, body } of plan.put) console.log(`would PUT ${base}${path}\n${body}`);
    for (const path of plan.delete) console.log(`would DELETE ${base}${path}`);
    return 0;
  }
  await apply(base, plan);
  return 0;
}

runMain(main);
