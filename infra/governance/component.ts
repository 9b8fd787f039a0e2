import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { componentType } from "../catalogue/names";
import { environmentSecretNames, isSecretName } from "../catalogue/pipeline";
import { QUALITY_FILE_KEYS } from "../catalogue/quality";
import {
  ReviewerIds,
  branchResourceName,
  buildBranchProtectionArgs,
  buildDeploymentPolicyArgs,
  buildEnvironmentArgs,
  buildEnvironmentSecretArgs,
  buildQualityFileArgs,
  buildRepositorySecretArgs,
  buildSecuritySettingsArgs,
  kubeconfigSecretValue,
} from "./builders";
import { otherBranchProblems, protectedBranches, splitReviewers } from "./spec";
import type { GovernanceArgs, GovernanceSpec } from "./spec";

/**
 * The repository's side of one environment: the GitHub environment with its
 * reviewers and deploy branch, the secrets its deploy job reads, the
 * protection of the branch it deploys from (unless another stack deploying
 * from it owns that: `protectDeployBranch: false`) and, in the stack that owns
 * them, the repository-wide branch protections, secrets and security settings.
 */
export class Governance extends pulumi.ComponentResource {
  readonly environmentName: pulumi.Output<string>;
  /** The names of the environment secrets the deploy job reads. */
  readonly secretNames: { readonly kubeconfig: string; readonly apiKey: string };

  constructor(name: string, args: GovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
    // The type token keeps the `github` module this component was first registered under:
    // it is part of every child's URN, and the governance resources are protected.
    super(componentType("github", "Governance"), name, {}, opts);
    const { spec, provider } = args;
    // The config edge checked everything else; otherBranches come from the caller alone.
    const problems = otherBranchProblems(spec);
    if (problems.length > 0) throw new pulumi.ResourceError(`GitHub governance of ${spec.owner}/${spec.repository} (${spec.environment}):\n  - ${problems.join("\n  - ")}`, this);
    const child = { parent: this, provider };
    // Secret values stay secret in state and in every diff, whatever the caller passed.
    const secretChild = { ...child, additionalSecretOutputs: ["value"] };
    // Governance outlives a mistaken `pulumi destroy` or a replacing refactor when protected.
    const governed = { ...child, protect: spec.protect, retainOnDelete: spec.protect };

    const environment = new github.RepositoryEnvironment(`${name}-environment`, buildEnvironmentArgs(spec, this.resolveReviewers(spec, provider)), governed);
    new github.RepositoryEnvironmentDeploymentPolicy(`${name}-deployment-policy`, buildDeploymentPolicyArgs(spec, environment.environment), governed);

    this.secretNames = environmentSecretNames(spec.environment);
    new github.ActionsEnvironmentSecret(
      `${name}-${this.secretNames.kubeconfig}`,
      buildEnvironmentSecretArgs(spec, this.secretNames.kubeconfig, args.kubeconfig.apply(kubeconfigSecretValue), environment.environment),
      secretChild,
    );
    new github.ActionsEnvironmentSecret(
      `${name}-${this.secretNames.apiKey}`,
      buildEnvironmentSecretArgs(spec, this.secretNames.apiKey, args.apiKey, environment.environment),
      secretChild,
    );

    // The deploy branch's threshold files belong to the stack that protects it, and are
    // committed before its protection exists (GitHub refuses direct commits to it after).
    const qualityFiles = spec.protectDeployBranch
      ? QUALITY_FILE_KEYS.map((file) => new github.RepositoryFile(`${name}-quality-${file}`, buildQualityFileArgs(spec, file), governed))
      : [];

    const names = new Map<string, string>();
    for (const rule of protectedBranches(spec)) {
      const resourceName = `${name}-branch-${branchResourceName(rule.pattern)}`;
      const other = names.get(resourceName);
      if (other !== undefined) {
        throw new pulumi.ResourceError(`branch patterns ${JSON.stringify(other)} and ${JSON.stringify(rule.pattern)} map to one resource name ${resourceName}; rename one`, this);
      }
      names.set(resourceName, rule.pattern);
      const isDeployBranch = spec.protectDeployBranch && rule.pattern === spec.deployBranch;
      new github.BranchProtection(resourceName, buildBranchProtectionArgs(spec, rule), { ...governed, dependsOn: isDeployBranch ? qualityFiles : [] });
    }

    if (spec.ownsRepositorySettings) {
      this.createRepositorySecrets(name, spec, args.repositorySecrets ?? {}, secretChild);
      const security = buildSecuritySettingsArgs(spec);
      const alerts = security.vulnerabilityAlerts && new github.RepositoryVulnerabilityAlerts(`${name}-vulnerability-alerts`, security.vulnerabilityAlerts, governed);
      if (security.dependabotSecurityUpdates) {
        new github.RepositoryDependabotSecurityUpdates(`${name}-dependabot-security-updates`, security.dependabotSecurityUpdates, {
          ...governed,
          dependsOn: alerts ? [alerts] : [],
        });
      }
    }

    this.environmentName = environment.environment;
    this.registerOutputs({ environmentName: this.environmentName, secretNames: this.secretNames });
  }

  /** Numeric IDs as given; logins and slugs through the GitHub API, with the explicit provider. */
  private resolveReviewers(spec: GovernanceSpec, provider: github.Provider): ReviewerIds {
    const split = splitReviewers(spec.reviewers);
    const invoke = { provider, parent: this };
    const users = split.userLogins.map((login) => github.getUserOutput({ username: login }, invoke).id.apply(numericId(this, "user", login)));
    const teams = split.teamSlugs.map((slug) => github.getTeamOutput({ slug, summaryOnly: true }, invoke).id.apply(numericId(this, "team", slug)));
    return {
      users: pulumi.all([...split.userIds, ...users]).apply(unique),
      teams: pulumi.all([...split.teamIds, ...teams]).apply(unique),
    };
  }

  private createRepositorySecrets(
    name: string,
    spec: GovernanceSpec,
    secrets: Readonly<Record<string, pulumi.Output<string>>>,
    child: pulumi.CustomResourceOptions,
  ): void {
    for (const [secretName, value] of Object.entries(secrets)) {
      if (!isSecretName(secretName)) {
        throw new pulumi.ResourceError(`repository secret name ${JSON.stringify(secretName)}: must be A-Z, 0-9 and _, not starting with a digit or GITHUB_`, this);
      }
      new github.ActionsSecret(`${name}-${secretName}`, buildRepositorySecretArgs(spec, secretName, value), child);
    }
  }
}

/** The data sources return IDs as strings; environments want numbers. */
function numericId(component: pulumi.Resource, kind: string, name: string): (id: string) => number {
  return (id) => {
    const n = Number(id);
    if (!Number.isSafeInteger(n) || n <= 0) throw new pulumi.ResourceError(`GitHub ${kind} ${JSON.stringify(name)} resolved to id ${JSON.stringify(id)}, not a numeric ID`, component);
    return n;
  };
}

const unique = (ids: number[]): number[] => [...new Set(ids)];
