import * as fs from "node:fs";
import * as path from "node:path";
import { parseOfflineArgs, runMain } from "./args";
import { identityOf } from "./diff";
import { planStack } from "./run";
import { listStacks, readStackFile } from "./stackFile";

const USAGE = "usage: npm run golden [-- --stack <name> ...]";

/**
 * `npm run golden`: records each stack's resources and their identities in
 * test/golden/<stack>.json. Committing the change is the explicit statement
 * that a deletion or replacement the guard test reports is intended.
 */
async function main(argv: readonly string[]): Promise<number> {
  const root = process.cwd();
  const args = parseOfflineArgs(argv, USAGE);
  const stacks = args.stacks.length > 0 ? args.stacks : listStacks(root);
  const dir = path.join(root, "test", "golden");
  fs.mkdirSync(dir, { recursive: true });
  for (const stack of stacks) {
    const plan = await planStack(readStackFile(root, stack));
    const entries = plan.resources.map(identityOf);
    fs.writeFileSync(path.join(dir, `${stack}.json`), `${JSON.stringify(entries, null, 2)}\n`);
    console.log(`test/golden/${stack}.json: ${entries.length} resources`);
  }
  return 0;
}

runMain(main);
