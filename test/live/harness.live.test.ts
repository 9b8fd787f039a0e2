import { afterAll, beforeAll, expect, it } from "vitest";
import { stringify } from "yaml";
import { Alertmanager, startAlertmanager } from "./alertmanager";
import { exposition, Exporter, fileSdTargets, startExporter } from "./exporter";
import { describeLive, waitFor } from "./process";
import { Prometheus, startPrometheus } from "./prometheus";
import { Pushgateway, startPushgateway } from "./pushgateway";
import { SlackSink, startSlackSink } from "./slack-sink";

/*
 * The live harness end to end: an exporter scraped through file_sd, a rule
 * firing into Alertmanager and on to the Slack sink, restarts, a Pushgateway;
 * and the ways its checks fail, so a green run means something.
 */

const RULES = stringify({
  groups: [
    {
      name: "live",
      rules: [{ alert: "LiveAlwaysFiring", expr: "vector(1) > 0", for: "0s", labels: { severity: "critical" }, annotations: { summary: "always firing" } }],
    },
  ],
});

const gauge = (value: number) => exposition([{ name: "live_queue_depth", type: "gauge", help: "Items waiting.", samples: [{ value }] }]);
const now = () => Date.now() / 1000;

describeLive("live harness", () => {
  let exporter: Exporter;
  let sink: SlackSink;
  let alertmanager: Alertmanager;
  let prometheus: Prometheus;
  let pushgateway: Pushgateway;
  const pods = [
    { pod: "a", labels: { pod: "a" } },
    { pod: "b", labels: { pod: "b" } },
  ];

  beforeAll(async () => {
    [exporter, sink] = await Promise.all([startExporter(), startSlackSink()]);
    exporter.setPod("a", gauge(0));
    exporter.setPod("b", gauge(0));
    const pushgatewayStarted = startPushgateway({ persistenceFile: true }).then((p) => (pushgateway = p));
    alertmanager = await startAlertmanager({
      configYaml: stringify({
        route: { receiver: "slack", group_by: ["alertname"], group_wait: "1s", group_interval: "1s", repeat_interval: "1h" },
        receivers: [
          {
            name: "slack",
            slack_configs: [{ api_url: sink.url("/services/critical"), channel: "#alerts", title: "{{ .CommonLabels.alertname }}", text: "{{ .CommonAnnotations.summary }}" }],
          },
        ],
      }),
    });
    prometheus = await startPrometheus({
      config: {
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        scrape_configs: [{ job_name: "pods", file_sd_configs: [{ files: ["targets.json"], refresh_interval: "1s" }] }],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanager.url).host] }] }] },
      },
      ruleFiles: { "live.rules.yml": RULES },
    });
    prometheus.writeFile("targets.json", JSON.stringify(fileSdTargets(exporter.address, pods)));
    await pushgatewayStarted;
  });

  afterAll(async () => {
    await Promise.all([prometheus?.stop(), alertmanager?.stop(), pushgateway?.stop(), exporter?.stop(), sink?.stop()]);
  });

  it("scrapes every pod as a target of its own", async () => {
    const up = await waitFor("both pods up", async () => {
      const series = await prometheus.query("up");
      return series.length === 2 && series.every((s) => s.value === 1) && series;
    }, 10_000);
    expect(up.map((s) => s.metric.pod).sort()).toEqual(["a", "b"]);
    expect((await prometheus.targets()).map((t) => t.health)).toEqual(["up", "up"]);
  });

  it("queries back a value set on the exporter", async () => {
    exporter.setPod("a", gauge(42));
    const [sample] = await waitFor("the new value scraped", async () => {
      const r = await prometheus.query('live_queue_depth{pod="a"}');
      return r[0]?.value === 42 && r;
    }, 10_000);
    expect(sample.metric).toMatchObject({ job: "pods", pod: "a" });
  });

  it("delivers a firing alert to the Slack sink", async () => {
    const message = await sink.waitForMessage((m) => JSON.stringify(m.body).includes("LiveAlwaysFiring"), 15_000);
    expect(message.path).toBe("/services/critical");
    expect(message.body).toMatchObject({ channel: "#alerts", attachments: [{ title: "LiveAlwaysFiring", text: "always firing" }] });
    expect((await prometheus.alerts()).map((a) => [a.labels.alertname, a.state])).toEqual([["LiveAlwaysFiring", "firing"]]);
    expect((await alertmanager.alerts()).map((a) => a.labels.alertname)).toEqual(["LiveAlwaysFiring"]);
  });

  it("drops a pod removed from the file_sd file", async () => {
    prometheus.writeFile("targets.json", JSON.stringify(fileSdTargets(exporter.address, pods.slice(0, 1))));
    await waitFor("pod b's up to go", async () => {
      const up = await prometheus.query("up");
      return up.length === 1 && up[0].metric.pod === "a";
    }, 10_000);
  });

  it("keeps history over a restart, and loses it when the data is wiped", async () => {
    const url = prometheus.url;
    const end = now();
    const past = () => prometheus.queryRange('up{pod="a"}', end - 30, end, 1);
    expect((await past()).length).toBe(1);
    await prometheus.restart();
    expect((await past()).length).toBe(1);
    await prometheus.restart({ wipeData: true });
    expect(prometheus.url).toBe(url);
    expect(await past()).toEqual([]);
  });

  it("keeps pushed groups in the Pushgateway, across a restart", async () => {
    await pushgateway.push("/metrics/job/live/run/1", "# TYPE live_pushed_total counter\nlive_pushed_total 3");
    expect(await pushgateway.metrics()).toContain('live_pushed_total{instance="",job="live",run="1"} 3');
    await pushgateway.restart();
    expect(await pushgateway.metrics()).toContain('live_pushed_total{instance="",job="live",run="1"} 3');
    await pushgateway.delete("/metrics/job/live/run/1");
    expect(await pushgateway.metrics()).not.toContain("live_pushed_total");
  });

  it("fails loudly: bad queries, bad configs, pushes and timeouts", async () => {
    await expect(prometheus.query("up{")).rejects.toThrow(/bad_data: .*parse error/);
    await expect(startPrometheus({ config: "scrape_configs: [{ job_name: x, scrape_interval: nonsense }]" })).rejects.toThrow(/prometheus did not start[\s\S]*--- last lines of/);
    await expect(startAlertmanager({ configYaml: "route: { receiver: nowhere }\nreceivers: []\n" })).rejects.toThrow(/alertmanager config is invalid[\s\S]*nowhere/);
    await expect(pushgateway.push("/metrics/job/live", "# TYPE x counter\nx{ 1")).rejects.toThrow(/HTTP 400/);
    await expect(waitFor("nothing", async () => false, 300, 50)).rejects.toThrow("timed out after 300ms waiting for nothing");
  });

  it("renders the exposition format with escaped labels", () => {
    expect(
      exposition([
        { name: "h", type: "histogram", help: "a\\b", samples: [{ suffix: "_bucket", labels: { le: "+Inf", path: 'say "hi"\n' }, value: 2 }, { suffix: "_count", value: NaN }] },
      ]),
    ).toBe('# HELP h a\\\\b\n# TYPE h histogram\nh_bucket{le="+Inf",path="say \\"hi\\"\\n"} 2\nh_count NaN\n');
  });
});
