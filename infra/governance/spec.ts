import type * as github from "@pulumi/github";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What the GitHub governance slice needs to know; a projection of the stack
 * config. Several stacks (staging, production, qa...) govern one repository:
 * each owns its GitHub environment; the protection of a deploy branch belongs
 * to exactly one of the stacks deploying from it (`protectDeployBranch`), and
 * exactly one (`ownsRepositorySettings`) also owns what is repository-wide.
 */

/** A protected branch (or pattern) and what a pull request into it must pass. */
export interface BranchRule {
  readonly pattern: string;
  /** Approving reviews a pull request needs, 0-6 (0 still forbids direct pushes). */
  readonly requiredApprovals: number;
  /**
   * Status checks that must pass, by the exact job `name:` GitHub reports
   * (a matrix job reports `Name (value)`), and only checks that run on pull
   * requests into this branch, or the branch can never merge.
   */
  readonly requiredChecks: readonly string[];
}

export interface Reviewers {
  /** Numeric user IDs, used as they are, or logins, resolved with `github.getUser`. */
  readonly users: readonly (string | number)[];
  /** Numeric team IDs, or slugs in the owner organization, resolved with `github.getTeam`. */
  readonly teams: readonly (string | number)[];
}

export interface SecuritySettings {
  /** Dependabot alerts on the repository. `false` leaves the setting unmanaged, not off. */
  readonly vulnerabilityAlerts: boolean;
  /** Dependabot security update pull requests (needs vulnerability alerts). `false` leaves it unmanaged. */
  readonly dependabotSecurityUpdates: boolean;
}

export interface GovernanceSpec {
  /** The organization (or user) owning the repository; team slugs are looked up in it. */
  readonly owner: string;
  readonly repository: string;
  /** The GitHub environment the deploy job names (`environment: staging`). */
  readonly environment: string;
  /** The only branch that may deploy to the environment (its deployment branch policy). */
  readonly deployBranch: string;
  /**
   * Whether this stack creates the BranchProtection of `deployBranch`. Exactly
   * one stack protects a branch: a second environment deploying from it (qa
   * from develop, beside staging) sets `false`, since GitHub refuses a second
   * protection for one pattern and two stacks would overwrite each other's
   * rules. The environment, its branch policy and its secrets are created either way.
   */
  readonly protectDeployBranch: boolean;
  /** Approvals for pull requests into `deployBranch`; used only with `protectDeployBranch`. */
  readonly requiredApprovals: number;
  /** Required checks for pull requests into `deployBranch`; used only with `protectDeployBranch`. */
  readonly requiredChecks: readonly string[];
  /**
   * Whether this stack owns the repository-wide settings: `otherBranches`,
   * repository secrets and security settings. Exactly one stack per repository.
   */
  readonly ownsRepositorySettings: boolean;
  /**
   * Further branches the owning stack protects. Never a branch another stack
   * deploys from: that stack protects it already, and two rules for one
   * pattern make GitHub answer "already protected" (and the stacks fight).
   */
  readonly otherBranches: readonly BranchRule[];
  /** Dismiss approvals when new commits are pushed. */
  readonly dismissStaleReviews: boolean;
  /** Require an approval from a CODEOWNERS owner of the changed files. */
  readonly requireCodeOwnerReviews: boolean;
  /**
   * Admins follow the same rules: branch protection is enforced for them and
   * they cannot bypass the environment's required reviewers.
   */
  readonly enforceAdmins: boolean;
  /** Who approves a deployment to the environment (at most 6 in total). None = no approval gate. */
  readonly reviewers: Reviewers;
  /** The person who triggered a deployment cannot approve it. */
  readonly preventSelfReview: boolean;
  /** Minutes a deployment waits before it starts, 0-43200. */
  readonly waitTimerMinutes: number;
  /**
   * `protect` and `retainOnDelete` the governance resources (environment,
   * branch protections, security settings): deleting the stack or a refactor
   * that would replace them then cannot silently drop the rules.
   */
  readonly protect: boolean;
  /** Repository security settings; only with `ownsRepositorySettings`. */
  readonly security: SecuritySettings;
}

export interface GovernanceArgs {
  readonly spec: GovernanceSpec;
  /**
   * The GitHub provider, with `owner` = `spec.owner`: team slugs are looked up
   * in the provider's organization. Its token needs admin rights on the
   * repository (branch protection, environments).
   */
  readonly provider: github.Provider;
  /** The deployer's kubeconfig as YAML text (the Deployer's output); stored base64-encoded. */
  readonly kubeconfig: pulumi.Output<string>;
  /** The environment's API key (the ApiKey's output), stored as `<ENV>_API_KEY`. */
  readonly apiKey: pulumi.Output<string>;
  /**
   * Repository-wide secrets by name (SLACK_WEBHOOK, SNYK_TOKEN, CODECOV_TOKEN),
   * read only when `spec.ownsRepositorySettings`. An undefined value leaves that
   * secret unmanaged, with a warning. Default: none.
   */
  readonly repositorySecrets?: Readonly<Record<string, pulumi.Output<string> | undefined>>;
}

// GitHub's rule for Actions secret names.
const SECRET_NAME = /^(?!GITHUB_)[A-Z_][A-Z0-9_]*$/;

/** Whether GitHub accepts `name` as an Actions secret name. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The environment secret names the deploy jobs read, derived from the
 * environment name only (`staging` -> KUBE_CONFIG_STAGING, STAGING_API_KEY),
 * so a new environment gets its names without code. Characters a secret name
 * cannot hold become `_` (`qa-east` -> KUBE_CONFIG_QA_EAST).
 */
export function environmentSecretNames(environment: string): { readonly kubeconfig: string; readonly apiKey: string } {
  const env = environment.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  const names = { kubeconfig: `KUBE_CONFIG_${env}`, apiKey: `${env}_API_KEY` };
  const bad = Object.values(names).filter((n) => !isSecretName(n));
  if (env === "" || bad.length > 0) {
    throw new Error(`GitHub environment ${JSON.stringify(environment)} gives invalid secret names ${bad.join(", ")}: secret names are A-Z, 0-9 and _, not starting with a digit or GITHUB_`);
  }
  return names;
}

export interface SplitReviewers {
  readonly userIds: readonly number[];
  readonly userLogins: readonly string[];
  readonly teamIds: readonly number[];
  readonly teamSlugs: readonly string[];
}

/**
 * GitHub environment reviewers take numeric IDs only. Numbers are used as they
 * are; names are returned apart for the component to resolve through the
 * GitHub API (a login or slug is what people write and review in config).
 */
export function splitReviewers(reviewers: Reviewers): SplitReviewers {
  const ids = (xs: readonly (string | number)[]) => xs.filter((x): x is number => typeof x === "number");
  const names = (xs: readonly (string | number)[]) => xs.filter((x): x is string => typeof x === "string");
  return { userIds: ids(reviewers.users), userLogins: names(reviewers.users), teamIds: ids(reviewers.teams), teamSlugs: names(reviewers.teams) };
}

export function hasReviewers(spec: Pick<GovernanceSpec, "reviewers">): boolean {
  return spec.reviewers.users.length + spec.reviewers.teams.length > 0;
}

/**
 * The rules this stack protects: its deploy branch unless another stack
 * protects it (`protectDeployBranch: false`), and the other branches when it
 * owns the repository settings.
 */
export function protectedBranches(spec: GovernanceSpec): readonly BranchRule[] {
  const own: BranchRule[] = spec.protectDeployBranch
    ? [{ pattern: spec.deployBranch, requiredApprovals: spec.requiredApprovals, requiredChecks: spec.requiredChecks }]
    : [];
  return spec.ownsRepositorySettings ? [...own, ...spec.otherBranches] : own;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const TEAM_SLUG = /^[a-z0-9][a-z0-9_-]*$/;

function checkRule(rule: BranchRule, where: string, problems: string[]): void {
  if (rule.pattern.trim() === "") problems.push(`${where}: the branch pattern must not be empty`);
  if (!Number.isInteger(rule.requiredApprovals) || rule.requiredApprovals < 0 || rule.requiredApprovals > 6) {
    problems.push(`${where}.requiredApprovals = ${rule.requiredApprovals}: must be an integer 0-6`);
  }
  if (rule.requiredChecks.length === 0) problems.push(`${where}.requiredChecks: at least one check, or the branch merges untested`);
  const seen = new Set<string>();
  for (const check of rule.requiredChecks) {
    if (check.trim() === "") problems.push(`${where}.requiredChecks: check names must not be empty`);
    if (seen.has(check)) problems.push(`${where}.requiredChecks: duplicate check ${JSON.stringify(check)}`);
    seen.add(check);
  }
}

function checkIds(kind: string, values: readonly (string | number)[], name: RegExp, problems: string[]): void {
  const seen = new Set<string | number>();
  for (const v of values) {
    if (typeof v === "number" && (!Number.isSafeInteger(v) || v <= 0)) problems.push(`reviewers.${kind}: ${v} is not a GitHub ID (a positive integer)`);
    if (typeof v === "string" && !name.test(v)) problems.push(`reviewers.${kind}: ${JSON.stringify(v)} is neither a numeric ID nor a valid ${kind === "users" ? "login" : "team slug"}`);
    if (seen.has(v)) problems.push(`reviewers.${kind}: ${JSON.stringify(v)} is listed twice`);
    seen.add(v);
  }
}

/** Every problem with the spec at once, as a plain Error naming each bad value and what is allowed. */
export function validateGovernanceSpec(spec: GovernanceSpec): void {
  const problems: string[] = [];
  if (!LOGIN.test(spec.owner)) problems.push(`owner = ${JSON.stringify(spec.owner)}: must be a GitHub login`);
  if (spec.repository.trim() === "") problems.push("repository must not be empty");
  if (spec.environment.trim() === "") problems.push("environment must not be empty");
  try {
    environmentSecretNames(spec.environment);
  } catch (e) {
    problems.push((e as Error).message);
  }
  // A missing value must not read as "false": that would drop the branch's protection without a word.
  if (typeof spec.protectDeployBranch !== "boolean") problems.push(`protectDeployBranch = ${JSON.stringify(spec.protectDeployBranch)}: must be true or false`);
  if (spec.protectDeployBranch) {
    checkRule({ pattern: spec.deployBranch, requiredApprovals: spec.requiredApprovals, requiredChecks: spec.requiredChecks }, "deployBranch", problems);
  } else if (spec.deployBranch.trim() === "") {
    // Still the environment's deployment branch policy, protected here or not.
    problems.push("deployBranch: the branch pattern must not be empty");
  }
  spec.otherBranches.forEach((rule, i) => checkRule(rule, `otherBranches[${i}]`, problems));
  // One rule per pattern in this stack: the deploy branch counts only when this stack protects it.
  const patterns = new Set<string>(spec.protectDeployBranch ? [spec.deployBranch] : []);
  spec.otherBranches.forEach((rule, i) => {
    if (patterns.has(rule.pattern)) problems.push(`otherBranches[${i}].pattern = ${JSON.stringify(rule.pattern)}: already protected here; one rule per pattern`);
    patterns.add(rule.pattern);
  });
  if (!spec.ownsRepositorySettings) {
    // Asking a non-owner for repository-wide settings is a config mistake, not something to skip quietly.
    if (spec.otherBranches.length > 0) problems.push("otherBranches: only the stack with ownsRepositorySettings protects other branches");
    if (spec.security.vulnerabilityAlerts || spec.security.dependabotSecurityUpdates) {
      problems.push("security: only the stack with ownsRepositorySettings manages security settings");
    }
  }
  if (spec.security.dependabotSecurityUpdates && !spec.security.vulnerabilityAlerts) {
    problems.push("security.dependabotSecurityUpdates needs security.vulnerabilityAlerts: GitHub refuses security updates without alerts");
  }
  checkIds("users", spec.reviewers.users, LOGIN, problems);
  checkIds("teams", spec.reviewers.teams, TEAM_SLUG, problems);
  const reviewerCount = spec.reviewers.users.length + spec.reviewers.teams.length;
  if (reviewerCount > 6) problems.push(`reviewers: ${reviewerCount} given; GitHub allows at most 6 users and teams in total`);
  if (!Number.isInteger(spec.waitTimerMinutes) || spec.waitTimerMinutes < 0 || spec.waitTimerMinutes > 43200) {
    problems.push(`waitTimerMinutes = ${spec.waitTimerMinutes}: must be an integer 0-43200 (30 days)`);
  }
  if (problems.length > 0) {
    throw new Error(`GitHub governance for ${spec.owner}/${spec.repository} (${spec.environment}) has ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`);
  }
}
