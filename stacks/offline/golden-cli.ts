import * as path from "node:path";
import { parseOfflineArgs, runMain } from "./args";
import { identityOf } from "./diff";
import { ensureDir, writeInside } from "./paths";
import { projectStacks, readStackFile } from "./stack-file";

const USAGE = "usage: npm run golden [-- --stack <name> ...]";

/**
 * `npm run golden`: records each stack's resources and their identities in
 * test/golden/<stack>.json. Committing the change is the explicit statement
 * that a deletion or replacement the guard test reports is intended.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const root = process.cwd();
  // It writes test/golden/ only: an --out would be ignored, so it is refused.
  const args = parseOfflineArgs(argv, USAGE, { out: false });
  const stacks = args.stacks.length > 0 ? args.stacks : projectStacks(root);
  const dir = path.join(root, "test", "golden");
  // The SDK, the program and the config schema load only once the arguments are known to be good.
  const { ConfigError } = require("../config/parse") as typeof import("../config/parse");
  const { planStack } = require("./run") as typeof import("./run");
  const plans = [];
  // Every stack plans before any file is written: a failure leaves the golden files as they were.
  for (const stack of stacks) {
    try {
      plans.push(await planStack(readStackFile(root, stack)));
    } catch (e) {
      console.error(e instanceof ConfigError ? e.message : `stack ${stack}: ${(e as Error).message}`);
      console.error("\nnothing was written.");
      return 1;
    }
  }
  ensureDir(dir);
  for (const plan of plans) {
    const entries = plan.resources.map(identityOf);
    writeInside(dir, `${plan.stack}.json`, `${JSON.stringify(entries, null, 2)}\n`);
    console.log(`test/golden/${plan.stack}.json: ${entries.length} resources`);
  }
  return 0;
}

// Run as a command; the tests also call main in their own process (test/support/cli.ts).
if (require.main === module) runMain(main);
