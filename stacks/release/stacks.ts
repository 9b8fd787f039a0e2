import * as fs from "node:fs";
import * as path from "node:path";
import { PlatformConfig, parseStackConfig } from "../config/parse";
import { listStacks, readStackFile } from "../offline/stack-file";
import { releaseInfo } from "./info";

/**
 * One leg of the deploy and preview matrices (`strategy.matrix.include`):
 * everything a workflow needs to know about a stack before it has checked
 * the stack out, read from its `Pulumi.<stack>.yaml`. A new environment is
 * one file: nothing here or in the workflows names a stack.
 */
export interface StackLeg {
  readonly stack: string;
  /** `github.environment`: the GitHub environment the job runs in (its secrets, reviewers, branch policy). */
  readonly environment: string;
  /** The platform branch whose push deploys the stack (`github.deployBranch`, release info's `platformDeployBranch`). */
  readonly branch: string;
  /** `policies/config/<stack>.json` for `--policy-pack-config`, or "" when there is none: the pack's strict defaults. */
  readonly policyPackConfig: string;
  /** The deploy job's `timeout-minutes`: the Rollouts' wait plus JOB_OVERHEAD_MINUTES. */
  readonly timeoutMinutes: number;
}

/** Checkout, `npm ci`, `pulumi up` of the whole stack, the plugin install and the DORA record, around the Rollouts' wait. */
export const JOB_OVERHEAD_MINUTES = 45;

/** A stack's leg; `hasPolicyConfig` says whether `policies/config/<stack>.json` exists. */
export function stackLeg(config: PlatformConfig, hasPolicyConfig: boolean): StackLeg {
  const info = releaseInfo(config);
  return {
    stack: info.stack,
    environment: info.githubEnvironment,
    branch: info.platformDeployBranch,
    policyPackConfig: hasPolicyConfig ? `policies/config/${info.stack}.json` : "",
    timeoutMinutes: JOB_OVERHEAD_MINUTES + Math.ceil(info.timeoutSeconds / 60),
  };
}

/**
 * Every stack of the project in `root`, parsed and checked (a broken stack
 * file fails the listing rather than dropping out of the deploy), sorted by
 * name; with `branch`, only those a push to that branch deploys.
 */
export function stackLegs(root: string, branch?: string): StackLeg[] {
  const legs = listStacks(root).map((stack) => stackLeg(parseStackConfig(readStackFile(root, stack)), fs.existsSync(path.join(root, "policies", "config", `${stack}.json`))));
  return branch === undefined ? legs : legs.filter((l) => l.branch === branch);
}

/** `npm run release -- stacks [--branch <branch>]`: the legs as one line of JSON, for `$GITHUB_OUTPUT`. */
export function stacksCommand(root: string, args: readonly string[]): string {
  let branch: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg.startsWith("--branch=") ? arg.slice("--branch=".length) : arg === "--branch" ? args[++i] : undefined;
    if (value === undefined) throw new Error(`stacks: unknown argument "${arg}"; it takes --branch <branch>`);
    if (value === "") throw new Error("stacks: --branch needs a value");
    if (branch !== undefined) throw new Error("stacks: --branch given twice");
    branch = value;
  }
  return JSON.stringify(stackLegs(root, branch));
}
