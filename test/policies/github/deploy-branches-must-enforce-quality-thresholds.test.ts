import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { qualityGates } from "../../../policies/pack";
import { evaluatePolicies, readPolicyConfig } from "../../../stacks/offline/policy";
import { Plan } from "../../../stacks/offline/run";
import { DEFAULT_STACKS, ROOT, StackDoc, cfg, loadStackDoc, planCommitted, planDoc } from "../../support/stacks";

/*
 * The whole pack over real plans of the program, with each stack's own policy
 * config, as `npm run policy` and the engine's `--policy-pack-config` run it:
 * the committed stacks pass; a stack file that weakens a threshold still plans
 * (the schema accepts any percentage) and fails this mandatory gate by name.
 */
const POLICY = "deploy-branches-must-enforce-quality-thresholds";

async function violations(stack: string, plan: Plan) {
  const report = await evaluatePolicies(stack, plan.resources, qualityGates(), readPolicyConfig(ROOT, stack));
  return report.violations.filter((v) => v.policy === POLICY).map((v) => `${v.enforcementLevel}: ${v.message}`);
}

function weakened(stack: string, quality: Record<string, unknown>): StackDoc {
  const doc = loadStackDoc(stack);
  cfg(doc, "github").quality = quality;
  return doc;
}

describe.each(DEFAULT_STACKS)("the %s stack's quality thresholds", (stack) => {
  it("pass in the committed plan", async () => {
    expect(await violations(stack, await planCommitted(stack))).toEqual([]);
  });

  it("write a codecov.yml that Codecov reads from main only, whichever branch it is on", async () => {
    const file = (await planCommitted(stack)).resources.find((r) => r.type === "github:index/repositoryFile:RepositoryFile" && (r.inputs as { file?: unknown }).file === "codecov.yml");
    const content = (file?.inputs as { content?: unknown } | undefined)?.content;
    expect(typeof content).toBe("string");
    expect(parse(content as string).codecov).toEqual({ require_ci_to_pass: true, strict_yaml_branch: "main" });
  });

  it("fail the mandatory gate when the stack file drops the coverage target to 94", async () => {
    const plan = await planDoc(stack, weakened(stack, { coverageTarget: 94 }));
    const branch = cfg(loadStackDoc(stack), "github").deployBranch as string;
    expect(await violations(stack, plan)).toEqual([
      `mandatory: branch ${branch}: codecov.yml coverage.status.project.default.target is 94% (threshold "0%"), below the guide's 95%: set github.quality.coverageTarget to 95 or more`,
    ]);
  });

  it("fail it for a weaker Snyk severity and a larger benchmark regression, and pass stricter ones", async () => {
    const weaker = await violations(stack, await planDoc(stack, weakened(stack, { snykSeverityThreshold: "critical", benchmarkMaxRegressionPercent: 10 })));
    expect(weaker.join("\n")).toMatch(/snyk\.severityThreshold is "critical"[\s\S]*benchmark\.maxRegressionPercent is 10[\s\S]*benchmark\.compareFail is "min:10%"/);
    const stricter = { coverageTarget: 98, snykSeverityThreshold: "low", benchmarkMaxRegressionPercent: 2.5 };
    expect(await violations(stack, await planDoc(stack, weakened(stack, stricter)))).toEqual([]);
  });
});
