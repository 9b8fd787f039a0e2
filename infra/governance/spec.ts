import type * as github from "@pulumi/github";
import type * as pulumi from "@pulumi/pulumi";
import { REQUIRED_APPROVALS } from "../catalogue/pipeline";
import type { SnykSeverity } from "../catalogue/quality";

/**
 * What the GitHub governance slice needs to know; a projection of the
 * resolved stack config, whose edge has checked every value it carries
 * (logins, branch names, approvals, reviewers, what only the owner of the
 * repository settings manages). Only `otherBranches` comes from the caller
 * alone; the component checks those rules itself. Several stacks (staging, production, qa...) govern one repository:
 * each owns its GitHub environment; the protection of a deploy branch belongs
 * to exactly one of the stacks deploying from it (`protectDeployBranch`), and
 * exactly one (`ownsRepositorySettings`) also owns what is repository-wide.
 */

/** A protected branch (or pattern) and what a pull request into it must pass. */
export interface BranchRule {
  readonly pattern: string;
  /** Approving reviews a pull request needs, `REQUIRED_APPROVALS` (1-6). */
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

/** The application's quality thresholds, written into the files on the deploy branch. */
export interface QualityThresholds {
  /** Codecov's project coverage target, percent. */
  readonly coverageTarget: number;
  /** The lowest Snyk severity that fails the scan. */
  readonly snykSeverityThreshold: SnykSeverity;
  /** The largest benchmark regression, percent, before the performance tests fail. */
  readonly benchmarkMaxRegressionPercent: number;
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
   * Further branches the owning stack protects; only with
   * `ownsRepositorySettings`. Never a branch another stack deploys from: that
   * stack protects it already, and two rules for one pattern make GitHub
   * answer "already protected" (and the stacks fight). No stack config sets
   * these: the component checks them (`otherBranchProblems`).
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
  /**
   * The thresholds the files `QUALITY_FILES` on `deployBranch` carry; written
   * only with `protectDeployBranch` (the stack that owns the branch's rules
   * owns its threshold files). The matching checks are in `requiredChecks`.
   */
  readonly quality: QualityThresholds;
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
   * read only when `spec.ownsRepositorySettings`. Default: none.
   */
  readonly repositorySecrets?: Readonly<Record<string, pulumi.Output<string>>>;
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

/**
 * What the component must check itself in `otherBranches`, which no config
 * edge sees: only the owner of the repository settings protects other
 * branches, each pattern once (and not the deploy branch this stack already
 * protects), with approvals in `REQUIRED_APPROVALS` and each required check
 * once. Each problem names the value and the fix.
 */
export function otherBranchProblems(spec: GovernanceSpec): string[] {
  if (spec.otherBranches.length === 0) return [];
  if (!spec.ownsRepositorySettings) return ["otherBranches: only the stack with ownsRepositorySettings protects other branches; move them to that stack"];
  const { min, max } = REQUIRED_APPROVALS;
  const patterns = new Set<string>(spec.protectDeployBranch ? [spec.deployBranch] : []);
  return spec.otherBranches.flatMap((rule, i) => {
    const where = `otherBranches[${i}]`;
    const problems: string[] = [];
    if (rule.pattern.trim() === "") problems.push(`${where}.pattern is empty: name the branch or pattern to protect`);
    if (patterns.has(rule.pattern)) problems.push(`${where}.pattern = ${JSON.stringify(rule.pattern)}: already protected here; one rule per pattern`);
    patterns.add(rule.pattern);
    if (!Number.isInteger(rule.requiredApprovals) || rule.requiredApprovals < min || rule.requiredApprovals > max) {
      problems.push(`${where}.requiredApprovals = ${rule.requiredApprovals}: must be a whole number ${min}-${max}`);
    }
    if (rule.requiredChecks.length === 0) problems.push(`${where}.requiredChecks is empty: require at least one check, or the branch merges untested`);
    rule.requiredChecks.forEach((check, j) => {
      if (check.trim() === "") problems.push(`${where}.requiredChecks[${j}] is empty: name a job of the pipeline`);
      if (rule.requiredChecks.indexOf(check) !== j) problems.push(`${where}.requiredChecks[${j}]: duplicate check ${JSON.stringify(check)}; list each once`);
    });
    return problems;
  });
}
