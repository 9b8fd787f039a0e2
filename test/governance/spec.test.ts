import { describe, expect, it } from "vitest";
import { GovernanceSpec, validateGovernanceSpec } from "../../infra/governance/spec";
import { productionSpec, stagingSpec } from "./fixtures";

describe("spec validation", () => {
  it("accepts both environments", () => {
    expect(() => validateGovernanceSpec(stagingSpec())).not.toThrow();
    expect(() => validateGovernanceSpec(productionSpec())).not.toThrow();
  });

  it("lists every problem at once, with the bad value", () => {
    const bad = stagingSpec({
      requiredApprovals: 7,
      requiredChecks: ["Test Suite", "Test Suite"],
      otherBranches: [{ pattern: "main", requiredApprovals: 1, requiredChecks: ["Test Suite"] }],
      reviewers: { users: [-3, "octocat", "a", "b", "c"], teams: ["Bad Team", 9] },
      waitTimerMinutes: 50000,
      security: { vulnerabilityAlerts: false, dependabotSecurityUpdates: true },
    });
    const message = (() => {
      try {
        validateGovernanceSpec(bad);
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    })();
    for (const fragment of [
      "deployBranch.requiredApprovals = 7",
      'duplicate check "Test Suite"',
      "otherBranches: only the stack with ownsRepositorySettings",
      "security: only the stack with ownsRepositorySettings",
      "dependabotSecurityUpdates needs security.vulnerabilityAlerts",
      "reviewers.users: -3 is not a GitHub ID",
      'reviewers.teams: "Bad Team" is neither',
      "7 given; GitHub allows at most 6",
      "waitTimerMinutes = 50000",
    ]) {
      expect(message).toContain(fragment);
    }
  });

  it("refuses a spec that does not say whether it protects its deploy branch, instead of dropping the protection", () => {
    const unwired = JSON.parse(JSON.stringify(stagingSpec())) as Record<string, unknown>;
    delete unwired.protectDeployBranch;
    expect(() => validateGovernanceSpec(unwired as unknown as GovernanceSpec)).toThrow(/protectDeployBranch = undefined: must be true or false/);
  });

  it("checks the deploy branch's approvals and checks only where it protects it, and its pattern always", () => {
    expect(() => validateGovernanceSpec(stagingSpec({ protectDeployBranch: false, requiredChecks: [], requiredApprovals: 9 }))).not.toThrow();
    expect(() => validateGovernanceSpec(stagingSpec({ protectDeployBranch: true, requiredChecks: [] }))).toThrow(/deployBranch.requiredChecks: at least one check/);
    expect(() => validateGovernanceSpec(stagingSpec({ protectDeployBranch: false, deployBranch: " " }))).toThrow(/deployBranch: the branch pattern must not be empty/);
  });

  it("refuses to protect one pattern twice", () => {
    expect(() => validateGovernanceSpec(productionSpec({ otherBranches: [{ pattern: "main", requiredApprovals: 1, requiredChecks: ["Test Suite"] }] }))).toThrow(
      /otherBranches\[0\]\.pattern = "main": already protected here/,
    );
  });
});
