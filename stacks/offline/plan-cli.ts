import * as path from "node:path";
import { ConfigError } from "../config/parse";
import { UsageError, parseOfflineArgs, runMain } from "./args";
import { Plan, planStack } from "./run";
import { listStacks, readStackFile } from "./stackFile";
import { summarize } from "./summary";
import { writePlan } from "./write";

const USAGE = "usage: npm run plan [-- --stack <name> ...] [--out <dir>]";

/**
 * `npm run plan`: the offline plan. Runs the Pulumi program for each stack under
 * the SDK's mocks, and only when every stack planned writes out/<stack>/. A
 * config error in any stack writes nothing and exits 1.
 */
async function main(argv: readonly string[]): Promise<number> {
  const root = process.cwd();
  const args = parseOfflineArgs(argv, USAGE);
  const stacks = args.stacks.length > 0 ? args.stacks : listStacks(root);
  if (stacks.length === 0) throw new UsageError(`no Pulumi.<stack>.yaml in ${root}`);

  const plans: Plan[] = [];
  const failures: string[] = [];
  for (const stack of stacks) {
    try {
      plans.push(await planStack(readStackFile(root, stack)));
    } catch (e) {
      failures.push(e instanceof ConfigError ? e.message : `stack ${stack}: ${(e as Error).message}`);
    }
  }
  if (failures.length > 0) {
    console.error(failures.join("\n\n"));
    console.error(`\nplan failed for ${failures.length} of ${stacks.length} stacks; nothing was written.`);
    return 1;
  }
  for (const plan of plans) {
    const written = writePlan(plan, args.out);
    console.log(summarize(plan, written.manifests, path.relative(root, written.dir) || written.dir));
    console.log(`  prometheus rule files: ${written.ruleFiles.length}, grafana dashboards: ${written.dashboards.length}`);
  }
  return 0;
}

runMain(main);
