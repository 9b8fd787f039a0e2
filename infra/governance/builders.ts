import type * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { BranchRule, GovernanceSpec, hasReviewers } from "./spec";

/** Reviewer IDs after resolution: numbers, or Outputs of numbers from the GitHub API. */
export interface ReviewerIds {
  readonly users: pulumi.Input<number[]>;
  readonly teams: pulumi.Input<number[]>;
}

/**
 * The environment the deploy job runs in. Only branches matching a custom
 * policy may deploy (`customBranchPolicies`; GitHub takes no patterns without
 * it), not any protected branch, so a protected feature branch cannot deploy.
 */
export function buildEnvironmentArgs(spec: GovernanceSpec, reviewers: ReviewerIds): github.RepositoryEnvironmentArgs {
  return {
    repository: spec.repository,
    environment: spec.environment,
    waitTimer: spec.waitTimerMinutes,
    preventSelfReview: spec.preventSelfReview,
    // GitHub's default lets admins skip the reviewers; enforceAdmins means nobody does.
    canAdminsBypass: !spec.enforceAdmins,
    deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    ...(hasReviewers(spec) ? { reviewers: [{ users: reviewers.users, teams: reviewers.teams }] } : {}),
  };
}

/**
 * The branch allowed to deploy: staging from develop, production from main.
 * `environment` is the environment resource's output, so the policy waits for it.
 */
export function buildDeploymentPolicyArgs(spec: GovernanceSpec, environment: pulumi.Input<string> = spec.environment): github.RepositoryEnvironmentDeploymentPolicyArgs {
  return { repository: spec.repository, environment, branchPattern: spec.deployBranch };
}

/**
 * A protected branch: merges only through pull requests that pass every
 * required check on an up-to-date branch (`strict`) and have their approvals;
 * linear history, no force pushes, no deletion, all conversations resolved,
 * and (with enforceAdmins) no exceptions for admins. The repository is given by
 * name, which the provider resolves; an existing rule is adopted with
 * `pulumi import github:index/branchProtection:BranchProtection <name> <repo>:<pattern>`.
 */
export function buildBranchProtectionArgs(spec: GovernanceSpec, rule: BranchRule): github.BranchProtectionArgs {
  return {
    repositoryId: spec.repository,
    pattern: rule.pattern,
    enforceAdmins: spec.enforceAdmins,
    requiredLinearHistory: true,
    allowsForcePushes: false,
    allowsDeletions: false,
    requireConversationResolution: true,
    requiredStatusChecks: [{ strict: true, contexts: [...rule.requiredChecks] }],
    requiredPullRequestReviews: [
      {
        requiredApprovingReviewCount: rule.requiredApprovals,
        dismissStaleReviews: spec.dismissStaleReviews,
        requireCodeOwnerReviews: spec.requireCodeOwnerReviews,
      },
    ],
  };
}

/**
 * The deploy job runs `echo "${{ secrets.KUBE_CONFIG_<ENV> }}" | base64 -d >
 * /tmp/kubeconfig`, so the secret holds the kubeconfig base64-encoded, not as
 * YAML. Keeping that contract also keeps the value one line, which GitHub's log
 * masking handles (it masks a multi-line secret line by line, unreliably).
 */
export function kubeconfigSecretValue(kubeconfig: string): string {
  return Buffer.from(kubeconfig, "utf8").toString("base64");
}

/**
 * An environment secret. `value` is the provider's current field (the
 * deprecated `plaintextValue` does the same); the value is wrapped as a Pulumi
 * secret here whatever the caller passed, so it never reaches state, previews
 * or logs in clear, and GitHub encrypts it with the repository's public key.
 */
export function buildEnvironmentSecretArgs(
  spec: GovernanceSpec,
  secretName: string,
  value: pulumi.Input<string>,
  environment: pulumi.Input<string> = spec.environment,
): github.ActionsEnvironmentSecretArgs {
  return { repository: spec.repository, environment, secretName, value: pulumi.secret(value) };
}

/** A repository-wide Actions secret, as a Pulumi secret (see buildEnvironmentSecretArgs). */
export function buildRepositorySecretArgs(spec: GovernanceSpec, secretName: string, value: pulumi.Input<string>): github.ActionsSecretArgs {
  return { repository: spec.repository, secretName, value: pulumi.secret(value) };
}

/**
 * Repository security settings, as resources that switch one setting on an
 * existing repository: `RepositoryVulnerabilityAlerts` and
 * `RepositoryDependabotSecurityUpdates`. `github.Repository.securityAndAnalysis`
 * (secret scanning, push protection) is not used: it needs the stack to own the
 * whole Repository resource (import it, match every attribute, and risk a
 * delete or archive of the repository on destroy) for two settings.
 */
export function buildSecuritySettingsArgs(spec: GovernanceSpec): {
  readonly vulnerabilityAlerts?: github.RepositoryVulnerabilityAlertsArgs;
  readonly dependabotSecurityUpdates?: github.RepositoryDependabotSecurityUpdatesArgs;
} {
  if (!spec.ownsRepositorySettings) return {};
  return {
    ...(spec.security.vulnerabilityAlerts ? { vulnerabilityAlerts: { repository: spec.repository, enabled: true } } : {}),
    ...(spec.security.dependabotSecurityUpdates ? { dependabotSecurityUpdates: { repository: spec.repository, enabled: true } } : {}),
  };
}

/**
 * A stable logical name for a branch pattern: the name is part of the URN, so
 * it must not change while the pattern stays the same (`release/*` ->
 * `release-star`). The component refuses two patterns with one name.
 */
export function branchResourceName(pattern: string): string {
  return pattern.replace(/\*/g, "star").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "branch";
}
