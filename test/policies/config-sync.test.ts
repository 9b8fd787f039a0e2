import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../stacks/config/parse";
import { DEFAULT_STACKS, ROOT, loadStackDoc, rawFromDoc } from "../support/stacks";
import { PolicyConfigFile, readPolicyConfig } from "../../stacks/offline/policy";

// The engine hands a policy only its policy config, never the stack's, so a few
// facts live in both files. This keeps the copies equal: change one, the test
// names the other.
const settings = (config: PolicyConfigFile, policy: string) => (typeof config[policy] === "object" ? (config[policy] as Record<string, unknown>) : {});

// A stack without a policy config of its own gets the pack's strict defaults: nothing to agree with.
const withPolicyConfig = DEFAULT_STACKS.filter((s) => fs.existsSync(path.join(ROOT, "policies", "config", `${s}.json`)));

describe.each(withPolicyConfig)("policies/config/%s.json agrees with Pulumi.%s.yaml", (stack) => {
  const stackConfig = parseStackConfig(rawFromDoc(stack, loadStackDoc(stack)));
  const policies = readPolicyConfig(ROOT, stack);

  it("on the deploy branch's required checks and approvals", () => {
    const gates = settings(policies, "deploy-branches-must-enforce-quality-gates");
    expect(gates.requiredChecks).toEqual(stackConfig.github.requiredChecks);
    expect(gates.minApprovals).toBe(stackConfig.github.requiredApprovals);
  });

  it("on which branch the stack must protect", () => {
    expect(settings(policies, "deploy-branches-must-be-protected").branches).toEqual(stackConfig.github.protectDeployBranch ? [stackConfig.github.deployBranch] : []);
  });

  it("on whether external Services are allowed", () => {
    expect(settings(policies, "services-must-not-be-exposed-externally").allowExternalServices ?? false).toBe(stackConfig.namespace.network.allowExternalServices);
  });
});
