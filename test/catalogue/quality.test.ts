import { describe, expect, it } from "vitest";
import { PIPELINE_DEPLOY_BRANCHES, PIPELINE_QUALITY_GATES } from "../../infra/catalogue/pipeline";
import { CODECOV_PROJECT_CHECK, GUIDE_QUALITY, QUALITY_THRESHOLDS, QUALITY_THRESHOLD_KEYS, snykAtLeastAsStrict, thresholdChecks } from "../../infra/catalogue/quality";

describe("the quality thresholds table", () => {
  it("has a row for each of the guide's thresholds, each enforced by Codecov's status or a pipeline job", () => {
    expect([...QUALITY_THRESHOLD_KEYS].sort()).toEqual(Object.keys(GUIDE_QUALITY).sort());
    const known = new Set<string>([CODECOV_PROJECT_CHECK, ...PIPELINE_QUALITY_GATES]);
    for (const k of QUALITY_THRESHOLD_KEYS) expect(known.has(QUALITY_THRESHOLDS[k].check), k).toBe(true);
  });

  it("requires on main every threshold's check, and on develop only those the guide runs for its pull requests", () => {
    expect(thresholdChecks("main")).toEqual(["codecov/project", "Security Analysis", "Performance Tests"]);
    // security.yml runs on pull requests into main only.
    expect(thresholdChecks("develop")).toEqual(["codecov/project", "Performance Tests"]);
    expect(thresholdChecks("release/1.0")).toEqual([]);
    for (const b of PIPELINE_DEPLOY_BRANCHES) expect(thresholdChecks(b)).toContain(CODECOV_PROJECT_CHECK);
  });
});

describe("Snyk severity strictness", () => {
  it("counts low and medium as stricter than high, and critical as weaker", () => {
    expect(["low", "medium", "high"].every((s) => snykAtLeastAsStrict(s as "low", "high"))).toBe(true);
    expect(snykAtLeastAsStrict("critical", "high")).toBe(false);
    expect(snykAtLeastAsStrict("high", "medium")).toBe(false);
  });
});
