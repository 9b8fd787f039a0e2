import { PROJECT } from "../../infra/catalogue/names";
import { ConfigProblem, PlatformConfig } from "./parse";
import { installsAddon } from "./rules";
import { ADDON_DEFAULT_NAMESPACES, AddonName } from "./schema";

/**
 * Rules no single stack can check: `parseStackConfig` sees one stack, but the
 * repository and the clusters are shared. Give these functions EVERY stack of
 * the project (each `Pulumi.<stack>.yaml`, parsed), not only the ones a
 * command was asked to plan: "exactly one stack owns repository settings" is
 * only decidable over all of them. Pure: reads nothing but its argument.
 *
 * Decisions:
 * - Repository settings are judged per GitHub repository (owner/name,
 *   compared case-insensitively, as GitHub does). Exactly one stack of each
 *   repository owns them: two would overwrite each other's repository secrets
 *   and security settings; none would leave SLACK_WEBHOOK, SNYK_TOKEN and
 *   CODECOV_TOKEN unset (the pipeline then fails). So "none owns" is an error
 *   too, as soon as the repository has any stack.
 * - GitHub environment names are compared case-insensitively (GitHub ignores
 *   case), within a repository. So are protected deploy branches: GitHub keeps
 *   one protection per branch.
 * - Namespaces only collide within one cluster. A cluster is identified by
 *   `kubernetes.apiServer` (scheme, case of the host and the default port
 *   ignored): staging and production install the same add-on namespaces in
 *   their own clusters. Within a cluster two stacks may not share an
 *   environment namespace, an environment namespace may not be another
 *   stack's add-on namespace, and only one stack installs each add-on
 *   (cluster-wide CRDs, fixed Helm release names).
 */

/** A problem of one stack's key, found by looking at all stacks together. */
export interface StackProblem extends ConfigProblem {
  readonly stack: string;
}

export class CrossStackError extends Error {
  constructor(readonly problems: readonly StackProblem[]) {
    super(
      [
        `The stacks conflict with each other (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was registered:`,
        ...problems.map((p) => `  - Pulumi.${p.stack}.yaml: ${p.key} = ${p.value}: ${p.problem}`),
        "Fix the keys above in the stack files named and run again.",
      ].join("\n"),
    );
    this.name = "CrossStackError";
  }
}

/** Throws a CrossStackError listing every conflict between the stacks; returns when there is none. */
export function checkStacksTogether(configs: readonly PlatformConfig[]): void {
  const problems = crossStackProblems(configs);
  if (problems.length > 0) throw new CrossStackError(problems);
}

/** Every conflict between the stacks, in stack order; empty when they fit together. */
export function crossStackProblems(configs: readonly PlatformConfig[]): StackProblem[] {
  const stacks = [...configs].sort((a, b) => a.stack.localeCompare(b.stack));
  return [
    ...groupBy(stacks, repositoryOf).flatMap(([repo, group]) => repositoryRules(repo, group)),
    ...groupBy(stacks, clusterOf).flatMap(([cluster, group]) => clusterRules(cluster, group)),
  ];
}

const key = (path: string) => `${PROJECT}:${path}`;
const show = (v: unknown) => JSON.stringify(v);
const list = (stacks: readonly PlatformConfig[]) => stacks.map((s) => s.stack).join(", ");

function groupBy<T>(items: readonly T[], by: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(by(item), [...(groups.get(by(item)) ?? []), item]);
  return [...groups.entries()];
}

function repositoryOf(c: PlatformConfig): string {
  return `${c.github.owner}/${c.github.repository}`.toLowerCase();
}

/** The cluster a stack deploys to, by its API server: `https://API.example:443/` and `https://api.example` are one. */
export function clusterOf(c: PlatformConfig): string {
  try {
    const url = new URL(c.kubernetes.apiServer);
    return `${url.hostname.toLowerCase()}:${url.port || "443"}`;
  } catch {
    return c.kubernetes.apiServer.toLowerCase();
  }
}

function repositoryRules(repo: string, stacks: readonly PlatformConfig[]): StackProblem[] {
  const out: StackProblem[] = [];
  const owners = stacks.filter((s) => s.github.ownsRepositorySettings && s.github.manage);
  if (owners.length > 1) {
    for (const s of owners) {
      out.push({
        stack: s.stack,
        key: key("github.ownsRepositorySettings"),
        value: "true",
        problem: `stacks ${list(owners)} all own the repository settings of ${repo}: exactly one may, or they overwrite each other's repository secrets and security settings. Set false in all but one`,
      });
    }
  }
  // None owning them is allowed: a project of review or test stacks leaves
  // the repository's secrets to whoever manages them; two would fight.
  out.push(
    ...sameIn(stacks, (s) => s.github.environment.trim().toLowerCase(), (s, first) => ({
      stack: s.stack,
      key: key("github.environment"),
      value: show(s.github.environment),
      problem: `is the GitHub environment of stack ${first.stack} too (${show(first.github.environment)}; GitHub ignores case): both stacks would manage one environment of ${repo}. Give each stack its own`,
    })),
  );
  out.push(
    ...sameIn(stacks.filter((s) => s.github.protectDeployBranch), (s) => s.github.deployBranch, (s, first) => ({
      stack: s.stack,
      key: key("github.protectDeployBranch"),
      value: "true",
      problem: `stack ${first.stack} protects ${s.github.deployBranch} too: GitHub keeps one protection per branch and the two stacks would fight over it. Set false in all but one`,
    })),
  );
  return out;
}

const ADDONS = Object.keys(ADDON_DEFAULT_NAMESPACES) as AddonName[];

const installs = (s: PlatformConfig, addon: AddonName) => installsAddon(addon, (a) => s.addons[a].install);

function clusterRules(cluster: string, stacks: readonly PlatformConfig[]): StackProblem[] {
  const out: StackProblem[] = [];
  out.push(
    ...sameIn(stacks, (s) => s.namespace.name, (s, first) => ({
      stack: s.stack,
      key: key("namespace.name"),
      value: show(s.namespace.name),
      problem: `is stack ${first.stack}'s namespace too, in the same cluster (${cluster}): the two environments would own and overwrite one namespace. Give each its own`,
    })),
  );
  for (const s of stacks) {
    for (const other of stacks) {
      if (other === s) continue;
      const addon = ADDONS.find((a) => other.addons[a].namespace === s.namespace.name);
      if (addon === undefined) continue;
      out.push({
        stack: s.stack,
        key: key("namespace.name"),
        value: show(s.namespace.name),
        problem: `is stack ${other.stack}'s add-on namespace (addons.${addon}.namespace) in the same cluster (${cluster}): the environment's default-deny NetworkPolicies and quota would cut the add-on off. Give the environment its own namespace`,
      });
    }
  }
  for (const addon of ADDONS) {
    out.push(
      ...sameIn(stacks.filter((s) => installs(s, addon)), () => addon, (s, first) => ({
        stack: s.stack,
        key: key(`addons.${addon}.install`),
        value: "true",
        problem: `stack ${first.stack} installs it in the same cluster (${cluster}) too: its CRDs are cluster-wide and its Helm release name is fixed, so two stacks would fight over it. Install it from one stack and set install: false (with its namespace) in the others`,
      })),
    );
  }
  return out;
}

/** A problem for each stack whose `by` equals an earlier stack's, naming that earlier stack. */
function sameIn(stacks: readonly PlatformConfig[], by: (s: PlatformConfig) => string, problem: (s: PlatformConfig, first: PlatformConfig) => StackProblem): StackProblem[] {
  const first = new Map<string, PlatformConfig>();
  return stacks.flatMap((s) => {
    const earlier = first.get(by(s));
    if (earlier === undefined) {
      first.set(by(s), s);
      return [];
    }
    return [problem(s, earlier)];
  });
}
