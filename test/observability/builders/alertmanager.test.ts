import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { Secret } from "kubernetes-models/v1/Secret";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildAlertmanagerConfig, buildSlackWebhookSecret } from "../../../infra/observability/builders/alertmanager";
import { ObservabilitySpec } from "../../../infra/observability/spec";
import { NULL_RECEIVER, mergeAlertmanagerConfigs, mergedReceiverName } from "../../support/alertmanager-operator";
import { production, staging } from "../fixtures";
import { describeWithTool, removeDir, run, writeFiles } from "../tools";

/** One recognisable placeholder per Secret key, so a test can tell which webhook a receiver posts to. */
const placeholder = (secretKey: string) => `https://hooks.slack.com/services/PLACEHOLDER/NOT/SECRET/${secretKey}`;
/** The environments' AlertmanagerConfigs merged as the operator does, each webhook read from its Secret key. */
const merged = (...specs: ObservabilitySpec[]) => mergeAlertmanagerConfigs(specs.map(buildAlertmanagerConfig), (_ns, _name, key) => placeholder(key));
const yamlFor = (spec: ObservabilitySpec) => merged(spec);

describe("the AlertmanagerConfig", () => {
  it("is a valid v1alpha1 AlertmanagerConfig the operator selects", () => {
    for (const spec of [staging(), production()]) {
      const config = buildAlertmanagerConfig(spec);
      expect(() => new AlertmanagerConfig(config).validate()).not.toThrow();
      expect(config.metadata).toMatchObject({ name: "agent-hive-alerts", namespace: spec.namespace, labels: { release: "kube-prometheus-stack" } });
    }
  });

  it("routes critical to the critical webhook and warning and info to the warning webhook, grouped and repeated", () => {
    const { route, receivers } = buildAlertmanagerConfig(production()).spec;
    expect(route).toMatchObject({ receiver: "slack-warning", groupBy: ["alertname", "namespace"], groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" });
    expect(route?.routes).toEqual([
      { receiver: "slack-critical", matchers: [{ name: "severity", value: "critical", matchType: "=" }], repeatInterval: "1h" },
      { receiver: "slack-warning", matchers: [{ name: "severity", value: "warning", matchType: "=" }], repeatInterval: "4h" },
      { receiver: "slack-warning", matchers: [{ name: "severity", value: "info", matchType: "=" }], repeatInterval: "4h" },
    ]);
    const byReceiver = Object.fromEntries((receivers ?? []).map((r) => [r.name, r.slackConfigs?.[0]]));
    expect(byReceiver["slack-critical"]).toMatchObject({ channel: "#agent-hive-pager", apiURL: { name: "alertmanager-slack", key: "critical-webhook-url" } });
    expect(byReceiver["slack-warning"]).toMatchObject({ channel: "#agent-hive-production-alerts", apiURL: { name: "alertmanager-slack", key: "warning-webhook-url" } });
  });

  it("gives every receiver its own webhook key: two receivers never share one webhook", () => {
    const receivers = buildAlertmanagerConfig(production()).spec.receivers ?? [];
    const keys = receivers.map((r) => r.slackConfigs?.[0]?.apiURL?.key);
    expect(new Set(keys).size).toBe(receivers.length);
  });

  it("with routing single, sends every severity to its one destination", () => {
    const { route, receivers } = buildAlertmanagerConfig(staging()).spec;
    expect(receivers?.map((r) => r.name)).toEqual(["slack-alerts"]);
    expect(new Set(route?.routes?.map((r) => r.receiver))).toEqual(new Set(["slack-alerts"]));
    expect(route?.receiver).toBe("slack-alerts");
  });

  it("takes its timers from the spec", () => {
    const spec = production({ notifications: { groupWait: "1s", groupInterval: "2s", repeatInterval: { critical: "3m", warning: "7m", info: "9m" } } });
    const { route } = buildAlertmanagerConfig(spec).spec;
    expect(route).toMatchObject({ groupWait: "1s", groupInterval: "2s" });
    expect(route?.routes?.map((r) => r.repeatInterval)).toEqual(["3m", "7m", "9m"]);
  });

  it("reads the webhooks from the Secret, never holding them", () => {
    for (const spec of [staging(), production()]) {
      const config = buildAlertmanagerConfig(spec);
      for (const r of config.spec.receivers ?? []) {
        expect(r.slackConfigs?.[0]).toMatchObject({ apiURL: { name: "alertmanager-slack" }, sendResolved: true });
      }
      expect(JSON.stringify(config)).not.toMatch(/hooks\.slack\.com/);
    }
  });

  it("has a Secret to hold the webhook that carries no data of its own", () => {
    const secret = buildSlackWebhookSecret(staging());
    expect(() => new Secret(secret).validate()).not.toThrow();
    expect(secret.metadata).toMatchObject({ name: "alertmanager-slack", namespace: "agent-hive-staging" });
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
  });
});

describe("the AlertmanagerConfig as the operator merges it", () => {
  it("renders the same routes and receivers as the operator merges them", () => {
    const spec = production();
    const native = parse(yamlFor(spec));
    const name = (r: string) => mergedReceiverName({ name: "agent-hive-alerts", namespace: spec.namespace }, r);
    const [top] = native.route.routes;
    expect(top).toMatchObject({ receiver: name("slack-warning"), matchers: ['namespace="agent-hive-production"'], continue: true, repeat_interval: "4h" });
    expect(top.routes).toEqual([
      { receiver: name("slack-critical"), matchers: ['severity="critical"'], repeat_interval: "1h" },
      { receiver: name("slack-warning"), matchers: ['severity="warning"'], repeat_interval: "4h" },
      { receiver: name("slack-warning"), matchers: ['severity="info"'], repeat_interval: "4h" },
    ]);
    const slackOf = (r: string) => native.receivers.find((x: { name: string }) => x.name === name(r)).slack_configs[0];
    expect(slackOf("slack-critical")).toMatchObject({ api_url: placeholder("critical-webhook-url"), channel: "#agent-hive-pager", send_resolved: true });
    expect(slackOf("slack-warning")).toMatchObject({ api_url: placeholder("warning-webhook-url"), channel: "#agent-hive-production-alerts" });
  });

  it("merges several environments as the operator does: one namespace-matched child route each", () => {
    const native = parse(merged(staging(), production()));
    expect(native.route.routes.map((r: { matchers: string[] }) => r.matchers)).toEqual([['namespace="agent-hive-staging"'], ['namespace="agent-hive-production"']]);
    const renamed = (spec: ObservabilitySpec, receiver: string) => mergedReceiverName({ name: "agent-hive-alerts", namespace: spec.namespace }, receiver);
    expect(native.receivers.map((r: { name: string }) => r.name)).toEqual([
      NULL_RECEIVER,
      renamed(staging(), "slack-alerts"),
      renamed(production(), "slack-critical"),
      renamed(production(), "slack-warning"),
    ]);
  });
});

describeWithTool("amtool", "amtool on the rendered Alertmanager config", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  describe.each([
    ["staging-like", staging()],
    ["production-like", production()],
  ])("%s", (_name, spec: ObservabilitySpec) => {
    let dir: string;
    beforeAll(() => {
      dir = writeFiles({ "alertmanager.yml": yamlFor(spec) });
      dirs.push(dir);
    });
    const routeOf = (labels: string[]) => {
      const result = run("amtool", ["config", "routes", "test", "--config.file=alertmanager.yml", ...labels], dir);
      expect(result.ok, result.output).toBe(true);
      return result.stdout.trim();
    };
    const receiver = (r: string) => mergedReceiverName({ name: "agent-hive-alerts", namespace: spec.namespace }, r);

    it("amtool check-config accepts it", () => {
      const result = run("amtool", ["check-config", "alertmanager.yml"], dir);
      expect(result.ok, result.output).toBe(true);
      expect(result.output).toMatch(/SUCCESS/);
    });

    it("routes each severity of this namespace to its destination's receiver, and nothing of another namespace", () => {
      for (const d of spec.slack.destinations) {
        for (const severity of d.severities) {
          expect(routeOf([`namespace=${spec.namespace}`, `severity=${severity}`, "alertname=HighErrorRate"]), severity).toBe(receiver(d.receiver));
        }
      }
      expect(routeOf(["namespace=someone-else", "severity=critical"])).toBe("null");
    });
  });

  it("the check can fail: check-config rejects a route to a receiver that does not exist", () => {
    const broken = yamlFor(production()).replace(/receiver: agent-hive-production\/agent-hive-alerts\/slack-critical/, "receiver: nowhere");
    const dir = writeFiles({ "alertmanager.yml": broken });
    dirs.push(dir);
    const result = run("amtool", ["check-config", "alertmanager.yml"], dir);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/nowhere/);
  });
});
