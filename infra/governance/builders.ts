import type * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { PIPELINE_PRODUCTION_BRANCH } from "../catalogue/pipeline";
import { BENCHMARK_STATISTIC, QUALITY_FILES, QualityFile } from "../catalogue/quality";
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

/** A percentage as Codecov and pytest-benchmark write it: `95%`, `95.5%`. */
const percent = (n: number): string => `${n}%`;

/** The line every managed file starts with: where its values come from, so nobody edits them in place. */
function managedHeader(spec: GovernanceSpec): string {
  return ` Managed by agent-hive-platform (the ${spec.environment} stack's github.quality): a change here is\n overwritten by the next pulumi up; change the stack config instead (agent-hive-platform's docs/quality-gates.md).`;
}

function yamlFile(spec: GovernanceSpec, body: object): string {
  const doc = new YAML.Document(body);
  doc.commentBefore = managedHeader(spec);
  return doc.toString();
}

/**
 * codecov.yml: the project status fails below the target (`threshold: 0%`:
 * Codecov's threshold would let coverage sit that far under the target). The
 * patch status shows the coverage of a pull request's own lines at the same
 * target but is informational: the guide's bar is the whole project's, and a
 * failing patch status on a three-line change would be stricter than it.
 * Codecov reads codecov.yml from the commit it judges, so a pull request could
 * lower its own target; `strict_yaml_branch` makes it read the file from the
 * production branch only, whatever the commit (so on develop too, the
 * production stack's file is the one Codecov applies). `require_ci_to_pass`
 * keeps the status from passing while CI fails.
 */
export function buildCodecovYaml(spec: GovernanceSpec): string {
  const target = percent(spec.quality.coverageTarget);
  return yamlFile(spec, {
    codecov: { require_ci_to_pass: true, strict_yaml_branch: PIPELINE_PRODUCTION_BRANCH },
    coverage: {
      status: {
        project: { default: { target, threshold: "0%" } },
        patch: { default: { target, informational: true } },
      },
    },
  });
}

/**
 * The gates file the application's workflows read (docs/quality-gates.md):
 * the Snyk and benchmark thresholds, each also as the exact argument the
 * guide's step passes, so a workflow interpolates it without arithmetic.
 */
export function buildQualityGatesYaml(spec: GovernanceSpec): string {
  const { snykSeverityThreshold, benchmarkMaxRegressionPercent } = spec.quality;
  return yamlFile(spec, {
    snyk: { severityThreshold: snykSeverityThreshold, args: `--severity-threshold=${snykSeverityThreshold}` },
    benchmark: {
      statistic: BENCHMARK_STATISTIC,
      maxRegressionPercent: benchmarkMaxRegressionPercent,
      compareFail: `${BENCHMARK_STATISTIC}:${percent(benchmarkMaxRegressionPercent)}`,
    },
  });
}

const QUALITY_CONTENT: Readonly<Record<QualityFile, (spec: GovernanceSpec) => string>> = { codecov: buildCodecovYaml, gates: buildQualityGatesYaml };

/**
 * One managed file on the deploy branch. `overwriteOnCreate` adopts a file the
 * repository already has (else the first create fails on it). GitHub refuses
 * a commit to a branch whose protection requires pull requests and checks, so
 * the component creates the files before the deploy branch's protection; a
 * later change of a threshold on a protected branch needs an actor allowed
 * past the protection (docs/quality-gates.md).
 */
export function buildQualityFileArgs(spec: GovernanceSpec, file: QualityFile): github.RepositoryFileArgs {
  return {
    repository: spec.repository,
    branch: spec.deployBranch,
    file: QUALITY_FILES[file],
    content: QUALITY_CONTENT[file](spec),
    commitMessage: `chore(platform): ${QUALITY_FILES[file]} from the ${spec.environment} stack's quality thresholds`,
    overwriteOnCreate: true,
  };
}
