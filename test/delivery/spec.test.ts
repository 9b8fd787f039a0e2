import { describe, expect, it } from "vitest";
import { prometheusAddress } from "../../infra/catalogue/names";
import { parseStackConfig } from "../../stacks/config/parse";
import { deliverySpec } from "../../stacks/specs";
import { StackDoc, cfg, committedConfig, loadStackDoc, rawFromDoc } from "../support/stacks";
import { DIGEST } from "./fixtures";

/**
 * The delivery slice checks nothing: the config edge has checked every value
 * and resolved every default before its spec is built, and the spec's types
 * say what those checks proved. These tests pin the projection: what a stack
 * file leaves out arrives resolved, and what it gets wrong never arrives.
 */

const services = (d: StackDoc) => d.config["agent-hive-platform:services"] as Record<string, unknown>[];
const specOf = (edit: (d: StackDoc) => void, stack = "production") => {
  const doc = loadStackDoc(stack);
  edit(doc);
  const config = parseStackConfig(rawFromDoc(stack, doc));
  return deliverySpec(config, config.services[0]);
};

describe("the delivery spec a stack file gives", () => {
  it("is the committed canary, pinned by tag, with the namespace's container defaults and the add-on's Prometheus", () => {
    const config = committedConfig("production");
    const spec = deliverySpec(config, config.services[0]);
    expect(spec.service).toMatchObject({ name: "orchestrator", image: "ghcr.io/leanvibe/agent-hive", pin: { tag: "1.0.0" }, stableServiceName: "agent-hive-service" });
    expect(spec.service.resources).toEqual({ request: { cpu: "250m", memory: "256Mi" }, limit: { cpu: "1", memory: "1Gi" } });
    expect(spec.analysis).toEqual({ prometheusAddress: prometheusAddress("monitoring"), interval: "1m", failureLimit: 2 });
    expect(spec.strategy).toEqual({ kind: "canary", steps: [10, 25, 50, 75].map((setWeight) => ({ setWeight, pauseSeconds: 300 })) });
  });

  it("pins by digest when a service sets one, even beside a tag, and even beside a floating tag, which is then only a label", () => {
    expect(specOf((d) => (services(d)[0].digest = DIGEST)).service.pin).toEqual({ digest: DIGEST });
    expect(specOf((d) => Object.assign(services(d)[0], { tag: "latest", digest: DIGEST })).service.pin).toEqual({ digest: DIGEST });
  });

  it("takes a service's own resources over the container defaults, and names its stable Service when config does not", () => {
    const own = { request: { cpu: "500m", memory: "512Mi" }, limit: { cpu: "1", memory: "1Gi" } };
    const spec = specOf((d) => {
      services(d)[0].resources = own;
      delete services(d)[0].stableServiceName;
    });
    expect(spec.service.resources).toEqual(own);
    expect(spec.service.stableServiceName).toBe("agent-hive-orchestrator");
  });

  it("gives blue-green its measurement count and promotion in the strategy, and a canary's count to its background analysis", () => {
    const blueGreen = specOf((d) => {
      const delivery = cfg(d, "delivery");
      delivery.strategy = "blueGreen";
      (delivery.analysis as Record<string, unknown>).count = 4;
      delivery.blueGreen = { autoPromotionEnabled: true, autoPromotionSeconds: 90, scaleDownDelaySeconds: 45 };
    });
    expect(blueGreen.strategy).toEqual({ kind: "blueGreen", autoPromotionEnabled: true, autoPromotionSeconds: 90, scaleDownDelaySeconds: 45, analysisCount: 4 });
    expect(blueGreen.analysis).not.toHaveProperty("count");
    const counted = specOf((d) => ((cfg(d, "delivery").analysis as Record<string, unknown>).count = 3));
    expect(counted.strategy).toMatchObject({ kind: "canary", analysisCount: 3 });
  });

  it("queries the Prometheus the config names, when it names one", () => {
    const address = "http://prometheus.observability.svc:9090";
    expect(specOf((d) => ((cfg(d, "delivery").analysis as Record<string, unknown>).prometheusAddress = address)).analysis.prometheusAddress).toBe(address);
  });
});

describe("what the delivery slice used to check itself", () => {
  // Each was refused by the slice before; now the config edge refuses it, at its key, before any spec exists.
  const refused: [string, (d: StackDoc) => void, string][] = [
    ["weights that do not increase", (d) => (cfg(d, "delivery").canary as { steps: unknown[] }).steps.push({ setWeight: 50, pauseSeconds: 60 }), "delivery.canary.steps[4].setWeight"],
    ["a weight above 100", (d) => ((cfg(d, "delivery").canary as { steps: Record<string, unknown>[] }).steps[3].setWeight = 120), "delivery.canary.steps[3].setWeight"],
    ["blue-green without a measurement count", (d) => (cfg(d, "delivery").strategy = "blueGreen"), "delivery.analysis.count"],
    [
      "an auto-promotion delay while auto-promotion is off",
      (d) => {
        cfg(d, "delivery").strategy = "blueGreen";
        (cfg(d, "delivery").analysis as Record<string, unknown>).count = 3;
        cfg(d, "delivery").blueGreen = { autoPromotionEnabled: false, autoPromotionSeconds: 60 };
      },
      "delivery.blueGreen.autoPromotionSeconds",
    ],
    ["an interval Argo cannot parse", (d) => ((cfg(d, "delivery").analysis as Record<string, unknown>).interval = "1 minute"), "delivery.analysis.interval"],
    ["a service without tag or digest", (d) => delete services(d)[0].tag, "services[0].tag"],
    ["the floating tag latest", (d) => (services(d)[0].tag = "LATEST"), "services[0].tag"],
    ["a malformed digest", (d) => (services(d)[0].digest = "sha256:xyz"), "services[0].digest"],
    ["no replicas", (d) => (services(d)[0].replicas = 0), "services[0].replicas"],
  ];

  it.each(refused)("%s is a config problem at its key", (_, edit, key) => {
    expect(() => specOf(edit)).toThrow(new RegExp(`agent-hive-platform:${key.replace(/[[\].]/g, "\\$&")} = `));
  });
});
