import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { Secret } from "kubernetes-models/v1/Secret";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertmanagerYaml, buildAlertmanagerConfig, buildSlackWebhookSecret, mergedReceiverName } from "../../infra/observability/alertmanager";
import { ObservabilitySpec } from "../../infra/observability/spec";
import { production, staging } from "./fixtures";
import { describeWithTool, removeDir, run, writeFiles } from "./tools";

const PLACEHOLDER = "https://hooks.slack.com/services/PLACEHOLDER/NOT/SECRET";

describe("the AlertmanagerConfig", () => {
  it("is a valid v1alpha1 AlertmanagerConfig the operator selects", () => {
    for (const spec of [staging(), production()]) {
      const config = buildAlertmanagerConfig(spec);
      expect(() => new AlertmanagerConfig(config).validate()).not.toThrow();
      expect(config.metadata).toMatchObject({ name: "agent-hive-alerts", namespace: spec.namespace, labels: { release: "kube-prometheus-stack" } });
    }
  });

  it("routes critical to the critical channel and warning to the warning channel, grouped and repeated", () => {
    const { route, receivers } = buildAlertmanagerConfig(production()).spec;
    expect(route).toMatchObject({ receiver: "slack-warning", groupBy: ["alertname", "namespace"], repeatInterval: "4h" });
    expect(route?.routes).toEqual([
      { receiver: "slack-critical", matchers: [{ name: "severity", value: "critical", matchType: "=" }], repeatInterval: "1h" },
      { receiver: "slack-warning", matchers: [{ name: "severity", value: "warning", matchType: "=" }], repeatInterval: "4h" },
    ]);
    const channels = Object.fromEntries((receivers ?? []).map((r) => [r.name, r.slackConfigs?.[0].channel]));
    expect(channels).toEqual({ "slack-critical": "#agent-hive-pager", "slack-warning": "#agent-hive-production-alerts" });
  });

  it("reads the webhook from the Secret, never holding it", () => {
    const config = buildAlertmanagerConfig(staging());
    for (const r of config.spec.receivers ?? []) {
      expect(r.slackConfigs?.[0]).toMatchObject({ apiURL: { name: "alertmanager-slack", key: "webhook-url" }, sendResolved: true });
    }
    expect(JSON.stringify(config)).not.toMatch(/hooks\.slack\.com/);
  });

  it("has a Secret to hold the webhook that carries no data of its own", () => {
    const secret = buildSlackWebhookSecret(staging());
    expect(() => new Secret(secret).validate()).not.toThrow();
    expect(secret.metadata).toMatchObject({ name: "alertmanager-slack", namespace: "agent-hive-staging" });
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
  });
});

describe("alertmanagerYaml", () => {
  it("renders the same routes and receivers as the operator merges them", () => {
    const spec = production();
    const native = parse(alertmanagerYaml(spec, PLACEHOLDER));
    const name = (r: string) => mergedReceiverName({ name: "agent-hive-alerts", namespace: spec.namespace }, r);
    const [top] = native.route.routes;
    expect(top).toMatchObject({ receiver: name("slack-warning"), matchers: ['namespace="agent-hive-production"'], continue: true, repeat_interval: "4h" });
    expect(top.routes).toEqual([
      { receiver: name("slack-critical"), matchers: ['severity="critical"'], repeat_interval: "1h" },
      { receiver: name("slack-warning"), matchers: ['severity="warning"'], repeat_interval: "4h" },
    ]);
    expect(native.receivers.find((r: { name: string }) => r.name === name("slack-critical")).slack_configs[0]).toMatchObject({
      api_url: PLACEHOLDER,
      channel: "#agent-hive-pager",
      send_resolved: true,
    });
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
      dir = writeFiles({ "alertmanager.yml": alertmanagerYaml(spec, PLACEHOLDER) });
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

    it("routes each severity of this namespace to its Slack receiver, and nothing of another namespace", () => {
      expect(routeOf([`namespace=${spec.namespace}`, "severity=critical", "alertname=HighErrorRate"])).toBe(receiver("slack-critical"));
      expect(routeOf([`namespace=${spec.namespace}`, "severity=warning", "alertname=HighResponseTime"])).toBe(receiver("slack-warning"));
      expect(routeOf([`namespace=${spec.namespace}`, "severity=info", "alertname=Something"])).toBe(receiver("slack-warning"));
      expect(routeOf(["namespace=someone-else", "severity=critical"])).toBe("null");
    });
  });

  it("the check can fail: check-config rejects a route to a receiver that does not exist", () => {
    const broken = alertmanagerYaml(staging(), PLACEHOLDER).replace(/receiver: agent-hive-staging\/agent-hive-alerts\/slack-critical/, "receiver: nowhere");
    const dir = writeFiles({ "alertmanager.yml": broken });
    dirs.push(dir);
    const result = run("amtool", ["check-config", "alertmanager.yml"], dir);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/nowhere/);
  });
});
