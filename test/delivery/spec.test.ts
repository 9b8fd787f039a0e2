import { describe, expect, it } from "vitest";
import { deliverySpecProblems } from "../../infra/delivery/spec";
import { buildRollout } from "../../infra/delivery/builders/rollout";
import { ALL_SPECS, blueGreenSpec, productionSpec } from "./fixtures";

describe("delivery spec checks", () => {
  it.each(ALL_SPECS)("accept the %s fixture", (_, spec) => {
    expect(deliverySpecProblems(spec)).toEqual([]);
  });

  it("refuse canary weights that do not increase or leave 1-100", () => {
    const problems = deliverySpecProblems(
      productionSpec({ strategy: { kind: "canary", steps: [{ setWeight: 50 }, { setWeight: 50 }, { setWeight: 120 }] } }),
    );
    expect(problems).toEqual([
      "canary.steps[1].setWeight = 50: weights must increase (previous 50)",
      "canary.steps[2].setWeight = 120: must be a whole number 1-100",
    ]);
  });

  it("refuse a blue-green analysis without a count, which would never promote", () => {
    const spec = blueGreenSpec({ analysis: { ...productionSpec().analysis } });
    expect(deliverySpecProblems(spec)).toEqual([expect.stringMatching(/needs analysis.count/)]);
  });

  it("refuse an auto-promotion delay while auto-promotion is off", () => {
    const spec = blueGreenSpec({ strategy: { kind: "blueGreen", autoPromotionEnabled: false, autoPromotionSeconds: 60, scaleDownDelaySeconds: 30 } });
    expect(deliverySpecProblems(spec)).toEqual([expect.stringMatching(/autoPromotionSeconds = 60 has no effect/)]);
  });

  it("refuse an interval Argo cannot parse", () => {
    expect(deliverySpecProblems(productionSpec({ analysis: { ...productionSpec().analysis, interval: "1 minute" } }))).toEqual([
      'analysis.interval = "1 minute": must be a duration such as 30s, 1m or 1h',
    ]);
  });

  it("report every problem at once when building", () => {
    const spec = productionSpec({
      service: { ...productionSpec().service, tag: undefined, replicas: 0 },
      analysis: { ...productionSpec().analysis, interval: "soon" },
    });
    expect(() => buildRollout(spec)).toThrow(/pinned tag[\s\S]*replicas = 0[\s\S]*interval = "soon"/);
  });
});
