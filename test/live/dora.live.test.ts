import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DORA_RECORDS, DoraRecord } from "../../infra/observability/builders/dora";
import { LEAD_TIME_BUCKETS } from "../../infra/observability/builders/dora-push";
import { bucketQuantile } from "../observability/dora-tests";
import { ROOT } from "../support/stacks";
import { LivePlan, liveStackDoc, planLive } from "./live-stack";
import { serviceMonitorJob, serviceTarget } from "./operator-scrape";
import { describeLive, tempDir, waitFor } from "./process";
import { Prometheus, startPrometheus } from "./prometheus";
import { Pushgateway, startPushgateway } from "./pushgateway";

/*
 * DORA end to end on real servers: a scripted history of releases goes
 * through the recorder CLI (`npm run dora -- record`, as the pipelines run it)
 * into Debian's Pushgateway; Prometheus scrapes it through the job the
 * operator would render from the planned ServiceMonitor and evaluates the
 * plan's recording rules. Every figure, from the rules and from every query of
 * the CI/CD dashboard, must equal what is worked out by hand below, and stay
 * so after Prometheus restarts on an empty data directory.
 */

const NAMESPACE = "agent-hive-production";
const DAY = 86400;
const HOUR = 3600;
const now = Math.floor(Date.now() / 1000);

interface Release {
  readonly run: string;
  readonly attempt?: number;
  readonly status: string;
  /** Seconds before now. */
  readonly ago: number;
  /** Seconds from commit to deploy. */
  readonly leadTime: number;
}

/** In the order the pipelines would record them. */
const HISTORY: readonly Release[] = [
  { run: "150", status: "success", ago: 9 * DAY, leadTime: HOUR }, // before the window: pruned later
  { run: "201", status: "success", ago: 6 * DAY, leadTime: HOUR },
  { run: "202", status: "canary_aborted", ago: 5 * DAY, leadTime: 0 }, // the environment fails here...
  { run: "203", status: "smoke_tests_failed", ago: 5 * DAY - HOUR, leadTime: 0 },
  { run: "204", status: "success", ago: 5 * DAY - 2 * HOUR, leadTime: 30 * 60 }, // ...and is restored 2 h later
  { run: "205", status: "success", ago: 2 * DAY, leadTime: 600 },
  { run: "205", status: "success", ago: 2 * DAY, leadTime: 600 }, // the same push again
  { run: "206", status: "canary_aborted", ago: DAY, leadTime: 0 },
  { run: "206", attempt: 2, status: "success", ago: DAY - HOUR, leadTime: 900 }, // a re-run fixes it
];

/** The figures by hand: runs 201-206 are in the window, 206 once, as its last attempt. */
const successes = [HOUR, 30 * 60, 600, 900];
const EXPECTED: Record<DoraRecord, number> = {
  deploymentFrequency: successes.length / 7,
  changeFailureRate: 2 / 6,
  leadTimeMean: successes.reduce((a, b) => a + b, 0) / successes.length,
  leadTimeP50: bucketQuantile(0.5, LEAD_TIME_BUCKETS, successes),
  timeToRestoreMean: 2 * HOUR,
};

function record(pushgateway: Pushgateway, r: Release): string {
  const deployedAt = now - r.ago;
  const result = spawnSync(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      "stacks/release/dora-cli.ts",
      "record",
      "--stack",
      "production",
      "--run",
      r.run,
      "--attempt",
      String(r.attempt ?? 1),
      "--status",
      r.status,
      "--commit-time",
      String(deployedAt - r.leadTime),
      "--deployed-at",
      String(deployedAt),
      "--pushgateway",
      pushgateway.url,
    ],
    { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
  );
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

describeLive("DORA figures on live Pushgateway and Prometheus", () => {
  let pushgateway: Pushgateway;
  let prometheus: Prometheus;
  let production: LivePlan;
  let sdDir: string;
  const logs: string[] = [];

  const recorded = async (key: DoraRecord) => (await prometheus.query(`${DORA_RECORDS[key]}{namespace="${NAMESPACE}"}`))[0]?.value;
  const allFigures = async () => Object.fromEntries(await Promise.all((Object.keys(DORA_RECORDS) as DoraRecord[]).map(async (k) => [k, await recorded(k)])));
  const settled = () =>
    waitFor("the DORA figures recorded", async () => {
      const figures = await allFigures();
      return Object.values(figures).every((v) => v !== undefined) && figures;
    }, 30_000);

  beforeAll(async () => {
    pushgateway = await startPushgateway();
    production = await planLive("production", liveStackDoc("production"), {});
    for (const r of HISTORY) logs.push(record(pushgateway, r));
    sdDir = tempDir("file-sd");
    const file = path.join(sdDir, "pushgateway.json");
    fs.writeFileSync(file, JSON.stringify([{ targets: [pushgateway.address], labels: serviceTarget({ namespace: "pushgateway", service: "pushgateway", port: "http", pod: "pushgateway-0" }) }]));
    prometheus = await startPrometheus({
      config: { global: { scrape_interval: "1s", evaluation_interval: "1s" }, scrape_configs: production.serviceMonitors.map((m) => serviceMonitorJob(m, file)) },
      ruleFiles: production.ruleFiles,
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([prometheus?.stop(), pushgateway?.stop()]);
    if (sdDir) fs.rmSync(sdDir, { recursive: true, force: true });
    production?.remove();
  });

  it("the recorder counted the duplicate once, measured the recovery, and pruned the run before the window", async () => {
    expect(logs[6]).toMatch(/already recorded/);
    expect(logs[4]).toMatch(/restores service: failing since run 202, 7200 s ago/);
    expect(logs[8]).toMatch(/failed before and now succeeds/);
    const text = await pushgateway.metrics();
    expect(text).not.toMatch(/run="150"/);
    expect(text).toMatch(/run="206"/);
  });

  it("the recording rules give the figures worked out by hand", async () => {
    const figures = await settled();
    for (const key of Object.keys(EXPECTED) as DoraRecord[]) expect(figures[key], key).toBeCloseTo(EXPECTED[key], 9);
  });

  it("every query of the CI/CD dashboard gives the same figures", async () => {
    await settled();
    const cicd = production.dashboards.find((d) => d.json.title.startsWith("Agent Hive CI/CD Dashboard"));
    const queries = (cicd?.json.panels ?? []).flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    expect(queries.length).toBe(Object.keys(DORA_RECORDS).length);
    for (const q of queries) {
      const key = (Object.keys(DORA_RECORDS) as DoraRecord[]).find((k) => q.expr.startsWith(`${DORA_RECORDS[k]}{`));
      expect(key, q.expr).toBeDefined();
      const [sample] = await prometheus.query(q.expr);
      expect(sample?.value, `${q.panel}: ${q.expr}`).toBeCloseTo(EXPECTED[key as DoraRecord], 9);
    }
  });

  it("a duplicate push of a recorded run changes no figure", async () => {
    const before = await settled();
    record(pushgateway, HISTORY[5]);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await allFigures()).toEqual(before);
  });

  it("Prometheus restarted on an empty data directory gives the same figures", async () => {
    await prometheus.restart({ wipeData: true });
    const figures = await settled();
    for (const key of Object.keys(EXPECTED) as DoraRecord[]) expect(figures[key], key).toBeCloseTo(EXPECTED[key], 9);
  });
});
