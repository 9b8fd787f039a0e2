import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  branchResourceName,
  buildBranchProtectionArgs,
  buildCodecovYaml,
  buildDeploymentPolicyArgs,
  buildEnvironmentArgs,
  buildEnvironmentSecretArgs,
  buildQualityFileArgs,
  buildQualityGatesYaml,
  buildRepositorySecretArgs,
  buildSecuritySettingsArgs,
  kubeconfigSecretValue,
} from "../../infra/governance/builders";
import { environmentSecretNames } from "../../infra/catalogue/pipeline";
import { protectedBranches, splitReviewers } from "../../infra/governance/spec";
import { RELEASE_BRANCHES, productionSpec, stagingSpec } from "./fixtures";

const noReviewers = { users: [], teams: [] };

describe("deployment branch policy", () => {
  it("lets staging deploy from develop and production from main, and nothing else", () => {
    expect(buildDeploymentPolicyArgs(stagingSpec())).toEqual({ repository: "agent-hive", environment: "staging", branchPattern: "develop" });
    expect(buildDeploymentPolicyArgs(productionSpec())).toEqual({ repository: "agent-hive", environment: "production", branchPattern: "main" });
  });

  it("turns on custom branch policies, which GitHub needs for patterns, instead of any protected branch", () => {
    for (const spec of [stagingSpec(), productionSpec()]) {
      expect(buildEnvironmentArgs(spec, noReviewers).deploymentBranchPolicy).toEqual({ protectedBranches: false, customBranchPolicies: true });
    }
  });
});

describe("branch protection", () => {
  it("requires the stack's quality gates, by their exact job names, on an up-to-date branch", () => {
    const args = buildBranchProtectionArgs(productionSpec(), protectedBranches(productionSpec())[0]);
    // The config layer adds each quality threshold's check (codecov/project) after the stated ones.
    expect(args.requiredStatusChecks).toEqual([{ strict: true, contexts: ["Test Suite (3.12)", "Code Quality", "Performance Tests", "Build & Package", "Security Analysis", "codecov/project"] }]);
    const staging = buildBranchProtectionArgs(stagingSpec(), protectedBranches(stagingSpec())[0]);
    expect(staging.requiredStatusChecks).toEqual([{ strict: true, contexts: ["Test Suite (3.12)", "Code Quality", "Performance Tests", "Build & Package", "codecov/project"] }]);
  });

  it("asks one approval on develop and two on main", () => {
    const approvals = (spec = stagingSpec()) => protectedBranches(spec).map((r) => [r.pattern, buildBranchProtectionArgs(spec, r).requiredPullRequestReviews]);
    expect(approvals(stagingSpec())).toEqual([["develop", [{ requiredApprovingReviewCount: 1, dismissStaleReviews: true, requireCodeOwnerReviews: true }]]]);
    expect(approvals(productionSpec())[0]).toEqual(["main", [{ requiredApprovingReviewCount: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true }]]);
  });

  it("enforces admins, linear history and resolved conversations, and forbids force pushes and deletion", () => {
    const args = buildBranchProtectionArgs(productionSpec(), protectedBranches(productionSpec())[0]);
    expect(args).toMatchObject({
      repositoryId: "agent-hive",
      pattern: "main",
      enforceAdmins: true,
      requiredLinearHistory: true,
      allowsForcePushes: false,
      allowsDeletions: false,
      requireConversationResolution: true,
    });
  });

  it("protects only the deploy branch in a stack without the repository settings, and the other branches with them", () => {
    expect(protectedBranches(stagingSpec()).map((r) => r.pattern)).toEqual(["develop"]);
    expect(protectedBranches(productionSpec(RELEASE_BRANCHES)).map((r) => r.pattern)).toEqual(["main", "release/*"]);
  });

  it("protects no deploy branch when another stack owns its protection, and keeps the environment's branch policy", () => {
    const qa = stagingSpec({ environment: "qa", protectDeployBranch: false });
    expect(protectedBranches(qa)).toEqual([]);
    expect(buildDeploymentPolicyArgs(qa)).toEqual({ repository: "agent-hive", environment: "qa", branchPattern: "develop" });
    expect(buildEnvironmentArgs(qa, noReviewers)).toMatchObject({ environment: "qa", deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true } });
    // The owner of the repository settings still protects its other branches.
    expect(protectedBranches(productionSpec({ ...RELEASE_BRANCHES, protectDeployBranch: false })).map((r) => r.pattern)).toEqual(["release/*"]);
  });

  it("gives each pattern a stable resource name", () => {
    expect(["main", "develop", "release/*", "feature/**/x"].map(branchResourceName)).toEqual(["main", "develop", "release-star", "feature-starstar-x"]);
  });
});

describe("environment", () => {
  it("takes reviewers as numeric IDs", () => {
    const split = splitReviewers({ users: [1001, "octocat"], teams: ["platform-leads", 2002] });
    expect(split).toEqual({ userIds: [1001], userLogins: ["octocat"], teamIds: [2002], teamSlugs: ["platform-leads"] });
    const spec = productionSpec({ reviewers: { users: [1001], teams: [2002] } });
    const fromIds = splitReviewers(spec.reviewers);
    const args = buildEnvironmentArgs(spec, { users: [...fromIds.userIds], teams: [...fromIds.teamIds] });
    expect(args.reviewers).toEqual([{ users: [1001], teams: [2002] }]);
  });

  it("has no approval gate without reviewers, and keeps admins to the rules", () => {
    const args = buildEnvironmentArgs(stagingSpec(), noReviewers);
    expect(args).not.toHaveProperty("reviewers");
    expect(args).toMatchObject({ repository: "agent-hive", environment: "staging", canAdminsBypass: false, waitTimer: 0, preventSelfReview: true });
    expect(buildEnvironmentArgs(productionSpec({ preventSelfReview: false, waitTimerMinutes: 5 }), noReviewers)).toMatchObject({ preventSelfReview: false, waitTimer: 5 });
  });
});

describe("secrets", () => {
  it("derives the deploy jobs' secret names from the environment name", () => {
    expect(environmentSecretNames("staging")).toEqual({ kubeconfig: "KUBE_CONFIG_STAGING", apiKey: "STAGING_API_KEY" });
    expect(environmentSecretNames("production")).toEqual({ kubeconfig: "KUBE_CONFIG_PRODUCTION", apiKey: "PRODUCTION_API_KEY" });
    expect(environmentSecretNames("qa-east")).toEqual({ kubeconfig: "KUBE_CONFIG_QA_EAST", apiKey: "QA_EAST_API_KEY" });
    // An environment whose names GitHub refuses (`3d` -> 3D_API_KEY) is refused at the config edge (github.environment).
  });

  it("stores the kubeconfig base64-encoded, on one line, as the deploy job's `base64 -d` expects", () => {
    const kubeconfig = "apiVersion: v1\nkind: Config\nusers:\n  - name: u\n    user: { token: t }\n";
    const value = kubeconfigSecretValue(kubeconfig);
    expect(value).not.toContain("\n");
    expect(Buffer.from(value, "base64").toString("utf8")).toBe(kubeconfig);
  });

  it("marks every secret value a Pulumi secret, even when given a plain string", async () => {
    const env = buildEnvironmentSecretArgs(stagingSpec(), "STAGING_API_KEY", "plain");
    const repo = buildRepositorySecretArgs(productionSpec(), "SNYK_TOKEN", "plain");
    expect(env).toMatchObject({ repository: "agent-hive", environment: "staging", secretName: "STAGING_API_KEY" });
    expect(repo).toMatchObject({ repository: "agent-hive", secretName: "SNYK_TOKEN" });
    for (const args of [env, repo]) {
      expect(args).not.toHaveProperty("plaintextValue");
      expect(pulumi.Output.isInstance(args.value)).toBe(true);
      expect(await pulumi.isSecret(args.value as pulumi.Output<string>)).toBe(true);
    }
  });
});

describe("security settings", () => {
  it("are managed only by the stack that owns the repository settings", () => {
    expect(buildSecuritySettingsArgs(stagingSpec())).toEqual({});
    expect(buildSecuritySettingsArgs(productionSpec())).toEqual({
      vulnerabilityAlerts: { repository: "agent-hive", enabled: true },
      dependabotSecurityUpdates: { repository: "agent-hive", enabled: true },
    });
  });
});

describe("quality threshold files", () => {
  const quality = (over: Partial<ReturnType<typeof stagingSpec>["quality"]>) => stagingSpec({ quality: { ...stagingSpec().quality, ...over } });

  it("codecov.yml fails the project status below the configured target, with no threshold under it", () => {
    const doc = parse(buildCodecovYaml(quality({ coverageTarget: 97.5 })));
    expect(doc.coverage.status.project).toEqual({ default: { target: "97.5%", threshold: "0%" } });
    // Patch coverage is shown at the same bar, without blocking: the guide's bar is the project's.
    expect(doc.coverage.status.patch).toEqual({ default: { target: "97.5%", informational: true } });
    // Codecov reads the file from main whatever commit it judges, so a pull request cannot lower its own target.
    expect(doc.codecov).toEqual({ require_ci_to_pass: true, strict_yaml_branch: "main" });
    expect(parse(buildCodecovYaml(productionSpec())).codecov).toEqual({ require_ci_to_pass: true, strict_yaml_branch: "main" });
  });

  it("the gates file carries the Snyk severity and the benchmark regression, also as the guide's exact arguments", () => {
    expect(parse(buildQualityGatesYaml(quality({ snykSeverityThreshold: "medium", benchmarkMaxRegressionPercent: 3 })))).toEqual({
      snyk: { severityThreshold: "medium", args: "--severity-threshold=medium" },
      benchmark: { statistic: "min", maxRegressionPercent: 3, compareFail: "min:3%" },
    });
  });

  it("says who manages each file and where to change it", () => {
    for (const text of [buildCodecovYaml(productionSpec()), buildQualityGatesYaml(productionSpec())]) {
      expect(text.split("\n")[0]).toBe("# Managed by agent-hive-platform (the production stack's github.quality): a change here is");
    }
  });

  it("commits each file to the deploy branch, adopting a file the repository already has", () => {
    const args = buildQualityFileArgs(productionSpec(), "gates");
    expect(args).toMatchObject({ repository: "agent-hive", branch: "main", file: ".github/quality-gates.yml", overwriteOnCreate: true });
    expect(args.commitMessage).toBe("chore(platform): .github/quality-gates.yml from the production stack's quality thresholds");
    expect(buildQualityFileArgs(stagingSpec(), "codecov")).toMatchObject({ branch: "develop", file: "codecov.yml", content: buildCodecovYaml(stagingSpec()) });
  });
});
