import * as fs from "node:fs";
import * as path from "node:path";
import { qualityGates } from "../../policies/pack";
import { UsageError, parseOfflineArgs, runMain } from "./args";
import { PolicyConfigFile, evaluatePolicies, formatPolicyReport } from "./policy";
import { PlanResource } from "./recorder";
import { listStacks } from "./stackFile";

const USAGE = "usage: npm run policy [-- --stack <name> ...] [--out <dir>]   (after npm run plan)";

/**
 * `npm run policy`: the pack's policies over out/<stack>/plan.json, with
 * policies/config/<stack>.json (the file `--policy-pack-config` takes). Writes
 * out/<stack>/policy-report.json; exits 1 on any mandatory violation.
 */
async function main(argv: readonly string[]): Promise<number> {
  const root = process.cwd();
  const args = parseOfflineArgs(argv, USAGE);
  const stacks = args.stacks.length > 0 ? args.stacks : listStacks(root);
  let mandatory = 0;
  for (const stack of stacks) {
    const planFile = path.join(args.out, stack, "plan.json");
    if (!fs.existsSync(planFile)) throw new UsageError(`${planFile} does not exist: run npm run plan${args.stacks.length > 0 ? ` -- --stack ${stack}` : ""} first`, 1);
    const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as { resources: PlanResource[] };
    const configFile = path.join(root, "policies", "config", `${stack}.json`);
    const config = fs.existsSync(configFile) ? (JSON.parse(fs.readFileSync(configFile, "utf8")) as PolicyConfigFile) : {};
    const report = await evaluatePolicies(stack, plan.resources, qualityGates(), config);
    fs.writeFileSync(path.join(args.out, stack, "policy-report.json"), `${JSON.stringify(report, null, 2)}\n`);
    console.log(formatPolicyReport(report));
    mandatory += report.mandatoryViolations;
  }
  if (mandatory > 0) console.error(`\n${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"}.`);
  return mandatory > 0 ? 1 : 0;
}

runMain(main);
