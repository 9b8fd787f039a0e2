import { describe, expect, it } from "vitest";
import { ARGO_DURATION, PROMETHEUS_DURATION, durationSeconds } from "../../infra/catalogue/duration";

describe("durations, read by the one parser", () => {
  it("add up every unit Prometheus and Argo Rollouts write", () => {
    expect(["500ms", "30s", "1m30s", "1h", "1d", "1w", "1y"].map(durationSeconds)).toEqual([0.5, 30, 90, 3600, 86400, 604800, 31536000]);
  });

  it("refuse what Prometheus would refuse, naming the value", () => {
    for (const bad of ["1 minute", "1.5m", "m", "", "5M"]) expect(() => durationSeconds(bad), bad).toThrow(`"${bad}" is not a duration`);
  });

  it("take every Argo duration as a Prometheus duration, but not days in Argo", () => {
    for (const d of ["1ms", "30s", "1m30s", "2h"]) expect([ARGO_DURATION.test(d), PROMETHEUS_DURATION.test(d)], d).toEqual([true, true]);
    expect([ARGO_DURATION.test("1d"), PROMETHEUS_DURATION.test("1d")]).toEqual([false, true]);
  });
});
