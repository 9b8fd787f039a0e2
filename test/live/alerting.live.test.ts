import * as fs from "node:fs";
import * as path from "node:path";
import type { IRollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERTS, AlertName } from "../../infra/catalogue/alerts";
import { POD_HASH_POD_LABEL } from "../../infra/catalogue/metrics";
import { SLACK_DESTINATIONS } from "../../infra/catalogue/slack";
import { durationSeconds } from "../../infra/catalogue/duration";
import { LOKI_DATASOURCE } from "../../infra/catalogue/logs";
import { logqlErrors } from "../../policies/lib/logql";
import { doraPushPath, pushBody } from "../../infra/observability/builders/dora-push";
import { mergeAlertmanagerConfigs } from "../support/alertmanager-operator";
import { Alertmanager, startAlertmanager } from "./alertmanager";
import { HEALTHY, SimulatedPods } from "./app-pods";
import { Exporter, exposition, startExporter } from "./exporter";
import { LIVE_TIMINGS, LivePlan, liveStackDoc, planLive } from "./live-stack";
import { podMonitorJob, podTarget, serviceMonitorJob, serviceTarget } from "./operator-scrape";
import { describeLive, sleep, tempDir, waitFor } from "./process";
import { Prometheus, startPrometheus } from "./prometheus";
import { Pushgateway, startPushgateway } from "./pushgateway";
import { SlackMessage, SlackSink, startSlackSink } from "./slack-sink";

/*
 * The production stack's alerting, run for real: Debian's Prometheus loads the
 * rule files `npm run plan` writes, scrapes simulated pods through the jobs
 * the operator would generate from the planned PodMonitor, and sends to a
 * real Alertmanager running the planned AlertmanagerConfigs merged the
 * operator's way; a local sink stands in for Slack. Only timings differ from
 * production, and only by config (live-stack.ts).
 */

const NAMESPACE = "agent-hive-production";
const STABLE_HASH = "6d4f8b7c9";
/** Each secret webhook points at its own sink path, named for the config key that holds it. */
const hook = (configKey: string) => `/hooks/${configKey}`;
const PRODUCTION_SECRETS = ["slackWebhookCritical", "slackWebhookWarning", "slackWebhookDeployments"];

type Log = Map<string, { pendingAt?: number; firingAt?: number; activeAt?: number }>;

describeLive("alerting on live Prometheus and Alertmanager", () => {
  let sink: SlackSink;
  let exporter: Exporter;
  let pushgateway: Pushgateway;
  let alertmanager: Alertmanager;
  let prometheus: Prometheus;
  let production: LivePlan;
  let pods: SimulatedPods;
  let sdDir: string;
  let podNames: string[] = [];
  const startedAt = Date.now() / 1000;

  /** Every alert seen pending or firing since the last reset, polled from Prometheus. */
  const seen: Log = new Map();
  let polling = true;
  const poll = async () => {
    while (polling) {
      try {
        const raw = await fetch(`${prometheus.url}/api/v1/alerts`).then((r) => r.json() as Promise<{ data: { alerts: { labels: Record<string, string>; state: string; activeAt: string }[] } }>);
        const now = Date.now() / 1000;
        for (const a of raw.data.alerts) {
          const entry = seen.get(a.labels.alertname) ?? {};
          entry.activeAt ??= Date.parse(a.activeAt) / 1000;
          if (a.state === "pending") entry.pendingAt ??= now;
          if (a.state === "firing") entry.firingAt ??= now;
          seen.set(a.labels.alertname, entry);
        }
      } catch {
        // Prometheus not up yet or restarting: the next round reads it.
      }
      await sleep(200);
    }
  };

  const quiet = () => waitFor("every alert inactive", async () => (await prometheus.alerts()).length === 0, 40_000);

  /** The orchestrator's pods as the planned Rollout labels them, each with a container port the PodMonitor keeps. */
  function writePodTargets(names: string[]) {
    const rollout = production.inputsOf<IRollout>("kubernetes:argoproj.io/v1alpha1:Rollout")[0];
    const template = rollout.spec.template;
    const container = template?.spec?.containers[0];
    const port = container?.ports?.[0]?.containerPort ?? 0;
    const groups = names.map((pod) => ({
      targets: [exporter.address],
      labels: {
        __metrics_path__: `/pods/${pod}/metrics`,
        ...podTarget({ namespace: NAMESPACE, pod, container: container?.name ?? "", port, labels: { ...template?.metadata?.labels, [POD_HASH_POD_LABEL]: STABLE_HASH } }),
      },
    }));
    fs.writeFileSync(path.join(sdDir, "pods.json.tmp"), JSON.stringify(groups));
    fs.renameSync(path.join(sdDir, "pods.json.tmp"), path.join(sdDir, "pods.json"));
  }

  function startPods(n: number) {
    podNames = Array.from({ length: n }, (_, i) => `agent-hive-orchestrator-${STABLE_HASH}-p${i}`);
    // Each pod errs at 0.06/s: under the 0.1 per-pod SLO, though all of them together are over it.
    for (const pod of podNames) pods.set(pod, { ...HEALTHY, errorsPerSecond: 0.06 });
    writePodTargets(podNames);
  }

  beforeAll(async () => {
    [sink, exporter, pushgateway] = await Promise.all([startSlackSink(), startExporter(), startPushgateway()]);
    const secrets = Object.fromEntries(PRODUCTION_SECRETS.map((k) => [k, sink.url(hook(k))]));
    production = await planLive("production", liveStackDoc("production"), secrets);
    const staging = await planLive("staging", liveStackDoc("staging"), { slackWebhookAlerts: sink.url(hook("staging/slackWebhookAlerts")) });
    staging.remove();

    // The operator reads each receiver's webhook from the Secret the component
    // wrote; the plan shows that Secret's data only as [secret], so the reader
    // maps the Secret key back to its config key through the catalogue's table.
    const byStack: Record<string, string> = { [NAMESPACE]: "", "agent-hive-staging": "staging/" };
    const readSecret = (ns: string, _name: string, key: string) => {
      const destination = Object.values(SLACK_DESTINATIONS).find((d) => d.secretKey === key);
      if (!destination) throw new Error(`no Slack destination reads Secret key ${key}`);
      return sink.url(hook(`${byStack[ns]}${destination.configKey}`));
    };
    alertmanager = await startAlertmanager({ configYaml: mergeAlertmanagerConfigs([...staging.alertmanagerConfigs, ...production.alertmanagerConfigs], readSecret) });

    // Two pipeline runs for the CI/CD dashboard: a failure, then the recovery.
    const now = Math.floor(Date.now() / 1000);
    await pushgateway.push(doraPushPath(NAMESPACE, "101"), pushBody({ environment: "production", status: "smoke_tests_failed", deployedAt: now - 3600 }));
    await pushgateway.push(doraPushPath(NAMESPACE, "102"), pushBody({ environment: "production", status: "success", deployedAt: now - 600, leadTimeSeconds: 1800, recoveryTimeSeconds: 3000 }));

    // The Argo Rollouts controller's own metrics, labelled by the Rollout's namespace.
    exporter.setPod(
      "argo-rollouts-controller",
      exposition([
        { name: "rollout_info_replicas_desired", type: "gauge", samples: [{ labels: { namespace: NAMESPACE, name: "agent-hive-orchestrator" }, value: 10 }] },
        { name: "rollout_info_replicas_updated", type: "gauge", samples: [{ labels: { namespace: NAMESPACE, name: "agent-hive-orchestrator" }, value: 10 }] },
        { name: "analysis_run_metric_phase", type: "gauge", samples: [{ labels: { namespace: NAMESPACE, name: "agent-hive-orchestrator-1", metric: "error-rate", phase: "Successful" }, value: 1 }] },
      ]),
    );

    pods = new SimulatedPods(exporter);
    sdDir = tempDir("file-sd");
    startPods(3);
    fs.writeFileSync(path.join(sdDir, "pushgateway.json"), JSON.stringify([{ targets: [pushgateway.address], labels: serviceTarget({ namespace: "pushgateway", service: "pushgateway", port: "http", pod: "pushgateway-0" }) }]));
    fs.writeFileSync(path.join(sdDir, "argo.json"), JSON.stringify([{ targets: [exporter.address], labels: { __metrics_path__: "/pods/argo-rollouts-controller/metrics", namespace: "argo-rollouts" } }]));
    pods.run();

    prometheus = await startPrometheus({
      config: {
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanager.url).host] }] }] },
        scrape_configs: [
          ...production.podMonitors.map((m) => podMonitorJob(m, path.join(sdDir, "pods.json"))),
          ...production.serviceMonitors.map((m) => serviceMonitorJob(m, path.join(sdDir, "pushgateway.json"))),
          // The argo-rollouts chart's ServiceMonitor keeps the target's own namespace label.
          { job_name: "argo-rollouts-metrics", scrape_interval: "1s", file_sd_configs: [{ files: [path.join(sdDir, "argo.json")], refresh_interval: "1s" }] },
        ],
      },
      ruleFiles: production.ruleFiles,
    });
    void poll();
    await waitFor("the three pods scraped", async () => (await prometheus.query(`up{namespace="${NAMESPACE}"} == 1`)).length === 3, 30_000);
    // Until discovery hands Prometheus the pods (it publishes every 5 s), no
    // agent is reported, which is exactly LowAgentCount's and MetricsAbsent's
    // condition: a cold start may fire them. Let that settle and its
    // resolutions reach the sink, so the scenarios start from healthy traffic.
    await quiet();
    await sleep(3000);
    sink.clear();
    seen.clear();
  }, 120_000);

  afterAll(async () => {
    polling = false;
    pods?.stop();
    await Promise.all([prometheus?.stop(), alertmanager?.stop(), pushgateway?.stop(), exporter?.stop(), sink?.stop()]);
    if (sdDir) fs.rmSync(sdDir, { recursive: true, force: true });
    production?.remove();
  });

  /** A notification on one webhook: the sink path says which secret webhook it was posted to. */
  const notification = (configKey: string, alert: AlertName, status: "FIRING" | "RESOLVED") => (m: SlackMessage) => {
    const attachment = (m.body as { attachments?: { title?: string }[] }).attachments?.[0];
    return m.path === hook(configKey) && (attachment?.title ?? "").startsWith(`[${status}] ${alert} `);
  };
  const channelOf = (m: SlackMessage) => (m.body as { channel?: string }).channel;

  /**
   * Runs one scenario: `start` breaks something, the expected alerts must fire
   * (after their `for`, not before) and reach their webhooks, then `stop`
   * heals it and the resolutions must follow on the same webhooks. No other
   * alert may even go pending meanwhile.
   */
  async function scenario(expected: { alert: AlertName; webhook: string; channel: string }[], start: () => void, stop: () => void) {
    await quiet();
    seen.clear();
    sink.clear();
    start();
    for (const e of expected) {
      const log = await waitFor(`${e.alert} firing`, async () => seen.get(e.alert)?.firingAt !== undefined && seen.get(e.alert), 40_000);
      const forSeconds = durationSeconds(LIVE_TIMINGS.alertFor);
      // Firing no earlier than `for` after it became active (one evaluation of slack for the poll).
      expect((log?.firingAt ?? 0) - (log?.activeAt ?? Infinity), `${e.alert} fired before its for`).toBeGreaterThanOrEqual(forSeconds - 1);
      const message = await sink.waitForMessage(notification(e.webhook, e.alert, "FIRING"), 30_000);
      expect(channelOf(message)).toBe(e.channel);
    }
    stop();
    for (const e of expected) {
      const message = await sink.waitForMessage(notification(e.webhook, e.alert, "RESOLVED"), 40_000);
      expect(channelOf(message)).toBe(e.channel);
    }
    await quiet();
    expect([...seen.keys()].sort(), "alerts seen in this scenario").toEqual(expected.map((e) => e.alert).sort());
    // Every notification went to the expected webhooks, none elsewhere.
    expect(new Set(sink.messages.map((m) => m.path))).toEqual(new Set(expected.map((e) => hook(e.webhook))));
  }

  const warning = (alert: AlertName) => ({ alert, webhook: "slackWebhookWarning", channel: "#agent-hive-production-alerts" });
  const critical = (alert: AlertName) => ({ alert, webhook: "slackWebhookCritical", channel: "#agent-hive-pager" });

  describe("healthy traffic", () => {
    it("fires nothing and notifies no one, though the pods' errors summed are over the per-pod SLO", async () => {
      await sleep(durationSeconds(LIVE_TIMINGS.rateWindow) * 1000);
      const errorsSummed = await prometheus.query(`sum(rate(agent_hive_errors_total{namespace="${NAMESPACE}"}[${LIVE_TIMINGS.rateWindow}]))`);
      expect(errorsSummed[0]?.value).toBeGreaterThan(0.1);
      await quiet();
      expect(sink.messages).toEqual([]);
    });

    it("gives data to every panel of both dashboards", async () => {
      await waitFor("DORA recorded", async () => (await prometheus.query(`agent_hive:deployment_frequency:per_day_7d{namespace="${NAMESPACE}"}`)).length > 0, 20_000);
      expect(production.dashboards.map((d) => d.json.title).sort()).toEqual(["Agent Hive CI/CD Dashboard (production)", "Agent Hive Service (production)"]);
      const empty: string[] = [];
      const logPanels: string[] = [];
      const end = Date.now() / 1000;
      for (const { json } of production.dashboards) {
        for (const panel of json.panels) {
          const targets = panel.targets ?? [];
          expect(targets.length, `${json.title} / ${panel.title} has no query`).toBeGreaterThan(0);
          // Loki's panels query Loki, which this tier does not run (no build of it here): they are
          // checked to be the provisioned Loki datasource's, with queries Loki would run.
          if (panel.datasource?.type === LOKI_DATASOURCE.type) {
            expect(panel.datasource.uid).toBe(LOKI_DATASOURCE.uid);
            for (const t of targets) expect(logqlErrors(t.expr), `${panel.title}: ${t.expr}`).toEqual([]);
            logPanels.push(`${json.title} / ${panel.title}`);
            continue;
          }
          for (const t of targets) {
            const series = await prometheus.queryRange(t.expr, startedAt, end, 1);
            if (!series.some((s) => s.values.some(([, v]) => Number.isFinite(v)))) empty.push(`${json.title} / ${panel.title}: ${t.expr}`);
          }
        }
      }
      expect(empty, "panels that would show No data").toEqual([]);
      expect(logPanels).toEqual(["Agent Hive Service (production) / Logs by revision"]);
    });
  });

  it("an error burst on one pod fires HighErrorRate (warning, the guide's) to the warning webhook, and resolves", async () => {
    const pod = podNames[0];
    await scenario(
      [warning(ALERTS.highErrorRate.alert)],
      () => pods.set(pod, { errorsPerSecond: 2 }),
      () => pods.set(pod, { errorsPerSecond: 0 }),
    );
  });

  it("slow responses on one pod fire HighResponseTime (warning) to the warning webhook, and resolve", async () => {
    const pod = podNames[1];
    await scenario(
      [warning(ALERTS.highResponseTime.alert)],
      () => pods.set(pod, { latencySeconds: 2 }),
      () => pods.set(pod, { latencySeconds: 0.2 }),
    );
  });

  it("every pod gone fires LowAgentCount and MetricsAbsent (critical) to the critical webhook, and resolves", async () => {
    await scenario(
      [critical(ALERTS.lowAgentCount.alert), critical(ALERTS.metricsAbsent.alert)],
      () => {
        for (const pod of podNames) pods.remove(pod);
        writePodTargets([]);
      },
      () => startPods(3),
    );
  });

  it("sends another namespace's alerts to that environment's receiver only, and unknown namespaces nowhere", async () => {
    await quiet();
    sink.clear();
    const post = (namespace: string) => ({
      labels: { alertname: "HighErrorRate", severity: "critical", namespace, environment: "elsewhere" },
      annotations: { summary: "test" },
      startsAt: new Date().toISOString(),
    });
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([post("agent-hive-staging"), post("someone-else")]),
    });
    expect(response.ok).toBe(true);
    await sink.waitForMessage((m) => m.path === hook("staging/slackWebhookAlerts"), 20_000);
    await sleep(3000);
    expect(sink.messages.map((m) => m.path)).toEqual([hook("staging/slackWebhookAlerts")]);
    expect(channelOf(sink.messages[0])).toBe("#agent-hive-staging-alerts");
  });
});
