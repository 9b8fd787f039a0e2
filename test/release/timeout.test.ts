import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseStackConfig, PlatformConfig } from "../../stacks/config/parse";
import { readStackFile } from "../../stacks/offline/stack-file";
import { durationSeconds } from "../../infra/catalogue/duration";
import { POD_READY_SECONDS, releaseTimeoutSeconds } from "../../stacks/release/timeout";

const ROOT = path.resolve(__dirname, "../..");
type Delivery = PlatformConfig["delivery"];
type Step = { setWeight: number; pauseSeconds?: number };
const PROMETHEUS = "http://kube-prometheus-stack-prometheus.monitoring.svc:9090";

// Resolved delivery settings, as the config edge hands them over: a canary has steps, blue-green a count.
const canary = (steps: [Step, ...Step[]], analysis: { interval?: string; failureLimit?: number } = {}): Delivery => ({
  strategy: "canary",
  imageOwner: "stack",
  allowIndefinitePause: true,
  canary: { steps },
  analysis: { prometheusAddress: PROMETHEUS, interval: "1m", failureLimit: 1, ...analysis },
  blueGreen: { autoPromotionEnabled: false, scaleDownDelaySeconds: 30 },
});

const blueGreen = (promotion: { autoPromotionEnabled: false } | { autoPromotionEnabled: true; autoPromotionSeconds?: number }): Delivery => ({
  strategy: "blueGreen",
  imageOwner: "stack",
  allowIndefinitePause: true,
  analysis: { prometheusAddress: PROMETHEUS, interval: "30s", failureLimit: 1, count: 3 },
  blueGreen: { scaleDownDelaySeconds: 30, ...promotion },
});

describe("the release wait's timeout", () => {
  it("reads Argo durations with the catalogue's one parser", () => {
    expect([durationSeconds("30s"), durationSeconds("1m"), durationSeconds("1m30s"), durationSeconds("1h"), durationSeconds("500ms")]).toEqual([30, 60, 90, 3600, 0.5]);
    expect(() => durationSeconds("1 minute")).toThrow(/"1 minute" is not a duration: use a number and a unit such as 30s/);
  });

  it("canary: the pauses, per step pod readiness and failureLimit+1 measurements, and the full promotion", () => {
    expect(POD_READY_SECONDS).toBe(120);
    // 100 + 200 of pauses; per step 120 + (2 + 1) × 60; plus 120 for 100 %.
    expect(releaseTimeoutSeconds(canary([{ setWeight: 20, pauseSeconds: 100 }, { setWeight: 60, pauseSeconds: 200 }], { failureLimit: 2 }))).toBe(300 + 2 * 300 + 120);
    // A longer interval or a higher failure limit gives each step more time.
    expect(releaseTimeoutSeconds(canary([{ setWeight: 50, pauseSeconds: 60 }], { interval: "2m", failureLimit: 0 }))).toBe(60 + 120 + 120 + 120);
  });

  it("staging: 60 s of pause + (120 + 2 × 30) + 120 = 360 s", () => {
    expect(releaseTimeoutSeconds(parseStackConfig(readStackFile(ROOT, "staging")).delivery)).toBe(360);
  });

  it("production, the guide's 4 × 300 s canary: 1200 + 4 × (120 + 3 × 60) + 120 = 2520 s (42 minutes)", () => {
    expect(releaseTimeoutSeconds(parseStackConfig(readStackFile(ROOT, "production")).delivery)).toBe(2520);
  });

  it("refuses a manual-promotion step, naming its key and the fix", () => {
    expect(() => releaseTimeoutSeconds(canary([{ setWeight: 10, pauseSeconds: 60 }, { setWeight: 50 }]))).toThrow(
      /^delivery\.canary\.steps\[1\]\.pauseSeconds is not set: that step waits for a manual `kubectl argo rollouts promote`.*set pauseSeconds/,
    );
  });

  it("blue-green: readiness + auto-promotion delay + pre- and post-promotion analysis, each (count + 2) intervals", () => {
    // 120 + 45 + 2 × (3 + 2) × 30
    expect(releaseTimeoutSeconds(blueGreen({ autoPromotionEnabled: true, autoPromotionSeconds: 45 }))).toBe(120 + 45 + 300);
    expect(releaseTimeoutSeconds(blueGreen({ autoPromotionEnabled: true }))).toBe(120 + 300);
  });

  it("blue-green refuses manual promotion (a missing count is refused at the config edge)", () => {
    expect(() => releaseTimeoutSeconds(blueGreen({ autoPromotionEnabled: false }))).toThrow(/^delivery\.blueGreen\.autoPromotionEnabled = false: .*set autoPromotionEnabled: true/);
  });
});
