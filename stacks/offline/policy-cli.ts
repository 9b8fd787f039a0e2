import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError, parseOfflineArgs, runMain } from "./args";
import { PlanIdentity, identityProblem, readPlanJson, shown, staleness } from "./fingerprint";
import { resolveOut, within, writeInside } from "./paths";
import { PlanResource } from "./recorder";
import { projectStacks } from "./stack-file";

const USAGE = "usage: npm run policy [-- --stack <name> ...] [--out <dir>]   (after npm run plan)";

/**
 * `npm run policy`: the pack's policies over out/<stack>/plan.json, with
 * policies/config/<stack>.json (the file `--policy-pack-config` takes). Refuses
 * a plan that is older than its stack file (see fingerprint.ts) before judging
 * any. Writes out/<stack>/policy-report.json; exits 1 on any mandatory violation.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const root = process.cwd();
  const args = parseOfflineArgs(argv, USAGE);
  const out = resolveOut(args.out, root);
  const stacks = args.stacks.length > 0 ? args.stacks : projectStacks(root);
  const plans = stacks.map((stack) => {
    const planFile = within(out, stack, "plan.json");
    const where = shown(root, planFile);
    if (!fs.existsSync(planFile)) throw new UsageError(`${where} does not exist: run npm run plan${args.stacks.length > 0 ? ` -- --stack ${stack}` : ""} first`, 1);
    const plan = readPlanJson<PlanIdentity & { resources: PlanResource[] }>(planFile, where);
    const problem = identityProblem(plan, where, stack) ?? staleness(plan, where, root, stack);
    if (problem) throw new UsageError(problem, 1);
    if (!Array.isArray(plan.resources)) throw new UsageError(`${where} has no resources list: run npm run plan`, 1);
    return { stack, plan };
  });
  // The pack loads only once every plan is known to be current.
  const { qualityGates } = require("../../policies/pack") as typeof import("../../policies/pack");
  const { evaluatePolicies, formatPolicyReport, readPolicyConfig } = require("./policy") as typeof import("./policy");
  let mandatory = 0;
  for (const { stack, plan } of plans) {
    const report = await evaluatePolicies(stack, plan.resources, qualityGates(), readPolicyConfig(root, stack));
    writeInside(path.join(out, stack), "policy-report.json", `${JSON.stringify(report, null, 2)}\n`);
    console.log(formatPolicyReport(report));
    mandatory += report.mandatoryViolations;
  }
  if (mandatory > 0) console.error(`\n${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"}.`);
  return mandatory > 0 ? 1 : 0;
}

// Run as a command; the tests also call main in their own process (test/support/cli.ts).
if (require.main === module) runMain(main);
