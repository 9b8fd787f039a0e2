import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { REQUIRED_APPROVALS } from "../../infra/catalogue/pipeline";
import { otherBranchProblems } from "../../infra/governance/spec";
import { planStack } from "../../stacks/offline/run";
import { loadStackDoc, rawFromDoc } from "../support/stacks";
import { RELEASE_BRANCHES, productionSpec, stagingSpec } from "./fixtures";
import { governanceProgram } from "./program";

/**
 * Governance checks nothing the config edge has checked (logins, branches,
 * approvals, reviewers, security settings: test/config). What is left is
 * `otherBranches`, which only a caller sets: the component checks those and
 * raises a pulumi.ResourceError on itself.
 */
describe("the branches the owner protects beside its deploy branch", () => {
  it("are accepted as the committed stacks give them (none) and as the release-branch variant adds them", () => {
    expect(otherBranchProblems(stagingSpec())).toEqual([]);
    expect(otherBranchProblems(productionSpec())).toEqual([]);
    expect(otherBranchProblems(productionSpec(RELEASE_BRANCHES))).toEqual([]);
  });

  it("belong only to the stack that owns the repository settings", () => {
    expect(otherBranchProblems(stagingSpec(RELEASE_BRANCHES))).toEqual([expect.stringMatching(/^otherBranches: only the stack with ownsRepositorySettings protects other branches/)]);
  });

  it("list every problem of every rule at once, each with its value and the fix", () => {
    const problems = otherBranchProblems(
      productionSpec({
        otherBranches: [
          { pattern: "main", requiredApprovals: 0, requiredChecks: ["Test Suite", "Test Suite"] },
          { pattern: "release/*", requiredApprovals: REQUIRED_APPROVALS.max + 1, requiredChecks: [] },
          { pattern: "release/*", requiredApprovals: 1.5, requiredChecks: [" "] },
        ],
      }),
    );
    expect(problems).toEqual([
      'otherBranches[0].pattern = "main": already protected here; one rule per pattern',
      "otherBranches[0].requiredApprovals = 0: must be a whole number 1-6",
      'otherBranches[0].requiredChecks[1]: duplicate check "Test Suite"; list each once',
      "otherBranches[1].requiredApprovals = 7: must be a whole number 1-6",
      "otherBranches[1].requiredChecks is empty: require at least one check, or the branch merges untested",
      'otherBranches[2].pattern = "release/*": already protected here; one rule per pattern',
      "otherBranches[2].requiredApprovals = 1.5: must be a whole number 1-6",
      "otherBranches[2].requiredChecks[0] is empty: name a job of the pipeline",
    ]);
  });

  it("may use the deploy branch's pattern where another stack protects that branch", () => {
    expect(otherBranchProblems(productionSpec({ protectDeployBranch: false, otherBranches: [{ pattern: "main", requiredApprovals: 2, requiredChecks: ["Test Suite"] }] }))).toEqual([]);
  });

  it("stop the component with a ResourceError on it, before any GitHub resource", async () => {
    const run = planStack(rawFromDoc("staging", loadStackDoc("staging")), governanceProgram({ sentinels: true, spec: RELEASE_BRANCHES }));
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    expect((error as Error).message).toMatch(/GitHub governance of leanvibe\/agent-hive \(staging\):\n {2}- otherBranches: only the stack with ownsRepositorySettings/);
  });
});
