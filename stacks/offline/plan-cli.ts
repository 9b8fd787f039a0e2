import * as path from "node:path";
import { UsageError, parseOfflineArgs, runMain } from "./args";
import { shown, sourceFiles } from "./fingerprint";
import { resolveOut } from "./paths";
import { listStacks, projectStacks, readStackFile } from "./stack-file";
import type { RawStackConfig } from "../config/parse";
import type { Plan } from "./run";

const USAGE = "usage: npm run plan [-- --stack <name> ...] [--out <dir>]";

/**
 * `npm run plan`: the offline plan. Runs the Pulumi program for each stack under
 * the SDK's mocks, and only when every stack planned writes out/<stack>/. A
 * config error in any stack writes nothing, removes the failed stacks' earlier
 * plans (so that policy and diff cannot judge them) and exits 1.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const root = process.cwd();
  const args = parseOfflineArgs(argv, USAGE);
  const out = resolveOut(args.out, root);
  const stacks = args.stacks.length > 0 ? args.stacks : projectStacks(root);
  if (stacks.length === 0) throw new UsageError(`no Pulumi.<stack>.yaml in ${root}`);
  // The SDK, the program and the config schema load only once the arguments are known to be
  // good: bad input fails in a fifth of a second, without them.
  const { ConfigError, parseStackConfig } = require("../config/parse") as typeof import("../config/parse");
  const { CrossStackError, checkStacksTogether } = require("../config/cross-stack") as typeof import("../config/cross-stack");
  const { planStack } = require("./run") as typeof import("./run");
  const { removePlan, writePlan } = require("./write") as typeof import("./write");
  const { summarize } = require("./summary") as typeof import("./summary");

  const plans: { plan: Plan; files: Record<string, string> }[] = [];
  const failed: { stack: string; message: string }[] = [];
  // Each stack file is read once: for its plan, and again by the check across stacks.
  const read = new Map<string, RawStackConfig>();
  const stackFile = (stack: string): RawStackConfig => read.get(stack) ?? read.set(stack, readStackFile(root, stack)).get(stack)!;
  for (const stack of stacks) {
    try {
      // The files are hashed before the plan reads them: an edit during the run makes the plan stale, not wrong.
      const files = sourceFiles(root, stack);
      plans.push({ plan: await planStack(stackFile(stack)), files });
    } catch (e) {
      failed.push({ stack, message: e instanceof ConfigError ? e.message : `stack ${stack}: ${(e as Error).message}` });
    }
  }
  // What no single stack can say alone: one owner of the repository settings,
  // distinct environments and namespaces. Judged over every stack of the
  // project, whichever were asked for.
  if (failed.length === 0) {
    try {
      checkStacksTogether(listStacks(root).map((s) => parseStackConfig(stackFile(s))));
    } catch (e) {
      if (!(e instanceof CrossStackError || e instanceof ConfigError)) throw e;
      // Every stack's plan is in doubt: none is written, and earlier ones are removed.
      failed.push(...stacks.map((stack, i) => ({ stack, message: i === 0 ? e.message : "" })));
    }
  }
  if (failed.length > 0) {
    console.error(failed.map((f) => f.message).filter((m) => m !== "").join("\n\n"));
    const removed = failed.filter((f) => removePlan(out, f.stack)).map((f) => `${shown(root, path.join(out, f.stack))}/`);
    console.error(`\nplan failed for ${failed.length} of ${stacks.length} stacks; nothing was written${removed.length > 0 ? `; removed the stale ${removed.join(", ")}` : ""}.`);
    return 1;
  }
  for (const { plan, files } of plans) {
    const written = writePlan(plan, out, files);
    console.log(summarize(plan, written.manifests, shown(root, written.dir)));
    console.log(`  prometheus rule files: ${written.ruleFiles.length}, grafana dashboards: ${written.dashboards.length}`);
  }
  return 0;
}

// Run as a command; the tests also call main in their own process (test/support/cli.ts).
if (require.main === module) runMain(main);
