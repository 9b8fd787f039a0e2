import * as github from "@pulumi/github";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { describe, expect, it } from "vitest";
import { planStack } from "../../stacks/offline/run";
import { Plan } from "../../stacks/offline/run";
import { loadStackDoc, rawFromDoc, resourcesOfType } from "../support/stacks";
import { ProgramOptions, SENTINELS, governanceProgram } from "./program";

const plan = (stack: "staging" | "production", options: ProgramOptions): Promise<Plan> =>
  planStack(rawFromDoc(stack, loadStackDoc(stack)), governanceProgram(options));

const ENV_SECRET = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
const REPO_SECRET = "github:index/actionsSecret:ActionsSecret";
const ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
const DEPLOYMENT_POLICY = "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
const BRANCH = "github:index/branchProtection:BranchProtection";
const FILE = "github:index/repositoryFile:RepositoryFile";
const GOVERNED = [ENVIRONMENT, BRANCH, FILE, "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts", "github:index/repositoryDependabotSecurityUpdates:RepositoryDependabotSecurityUpdates"];

type Inputs = Record<string, unknown>;
const inputs = (r: { inputs: unknown }) => r.inputs as Inputs;
const byName = (p: Plan, type: string, name: string) => resourcesOfType(p, type).find((r) => r.name === name);

describe.each(["staging", "production"] as const)("governance secrets of %s in the plan", (stack) => {
  it("show only as [secret], and no sentinel (nor its base64) appears anywhere", async () => {
    const p = await plan(stack, { sentinels: true });
    const secrets = [...resourcesOfType(p, ENV_SECRET), ...resourcesOfType(p, REPO_SECRET)];
    expect(secrets.length).toBe(stack === "production" ? 5 : 2);
    for (const r of secrets) {
      expect(inputs(r).value, r.name).toBe("[secret]");
      expect(inputs(r), r.name).not.toHaveProperty("plaintextValue");
    }
    // Generated in the same run, the key is unknown in preview: never a value, whichever mark the SDK gives it.
    const apiKeySecret = byName(p, "kubernetes:core/v1:Secret", "agent-hive-api-key-secret");
    expect(["[secret]", "[computed]"]).toContain(apiKeySecret && inputs(apiKeySecret).stringData);
    expect(p.outputs).toMatchObject({ kubeconfigIsSecret: true, apiKeyIsSecret: true });
    for (const key of ["kubeconfig", "apiKey"]) expect(["[secret]", "[computed]"]).toContain((p.outputs as Inputs)[key]);
    const text = JSON.stringify(p);
    for (const sentinel of Object.values(SENTINELS)) {
      expect(text).not.toContain(sentinel);
      expect(text).not.toContain(Buffer.from(sentinel).toString("base64"));
    }
  });

  it("names the environment secrets after the environment", async () => {
    const p = await plan(stack, { sentinels: true });
    const env = stack.toUpperCase();
    expect(resourcesOfType(p, ENV_SECRET).map((r) => inputs(r).secretName).sort()).toEqual([`KUBE_CONFIG_${env}`, `${env}_API_KEY`]);
    for (const r of resourcesOfType(p, ENV_SECRET)) expect(inputs(r).environment).toBe(stack);
  });
});

describe("governance wiring", () => {
  it("feeds the deployer's kubeconfig and the API key into the environment secrets", async () => {
    const p = await plan("staging", { sentinels: false });
    const token = byName(p, "kubernetes:core/v1:Secret", "agent-hive-deployer-token");
    const password = resourcesOfType(p, "random:index/randomPassword:RandomPassword")[0];
    expect(byName(p, ENV_SECRET, "agent-hive-github-KUBE_CONFIG_STAGING")?.options.dependsOn).toContain(token?.urn);
    expect(byName(p, ENV_SECRET, "agent-hive-github-STAGING_API_KEY")?.options.dependsOn).toContain(password.urn);
    expect(byName(p, "kubernetes:core/v1:Secret", "agent-hive-api-key-secret")?.options.dependsOn).toContain(password.urn);
    expect(inputs(password)).toEqual({ length: 48, special: false });
  });

  it("protects and retains production's governance resources, and not staging's", async () => {
    const production = await plan("production", { sentinels: true });
    const governed = production.resources.filter((r) => GOVERNED.includes(r.type));
    expect([...new Set(governed.map((r) => r.type))].sort()).toEqual([...GOVERNED].sort());
    for (const r of governed) expect([r.name, r.options.protect, r.options.retainOnDelete]).toEqual([r.name, true, true]);
    const staging = await plan("staging", { sentinels: true });
    for (const r of staging.resources.filter((x) => GOVERNED.includes(x.type))) expect([r.name, r.options.protect]).toEqual([r.name, false]);
  });

  it("protects only the deploy branch in staging, and main plus the owner's other branches in production", async () => {
    const patterns = (p: Plan) => resourcesOfType(p, BRANCH).map((r) => inputs(r).pattern).sort();
    expect(patterns(await plan("staging", { sentinels: true }))).toEqual(["develop"]);
    const production = await plan("production", { sentinels: true, spec: { otherBranches: [{ pattern: "release/*", requiredApprovals: 2, requiredChecks: ["Test Suite"] }] } });
    expect(patterns(production)).toEqual(["main", "release/*"]);
    expect(resourcesOfType(production, REPO_SECRET).map((r) => inputs(r).secretName).sort()).toEqual(["CODECOV_TOKEN", "SLACK_WEBHOOK", "SNYK_TOKEN"]);
  });

  it("leaves the deploy branch's protection to the stack that owns it: a qa environment deploying from develop adds none", async () => {
    const qa = await plan("staging", { sentinels: true, spec: { environment: "qa", deployBranch: "develop", protectDeployBranch: false } });
    expect(resourcesOfType(qa, BRANCH)).toEqual([]);
    // The branch's threshold files are staging's too: two stacks writing one file would fight.
    expect(resourcesOfType(qa, FILE)).toEqual([]);
    // Everything else of the environment is still there.
    expect(resourcesOfType(qa, ENVIRONMENT).map((r) => inputs(r).environment)).toEqual(["qa"]);
    expect(resourcesOfType(qa, DEPLOYMENT_POLICY).map((r) => inputs(r).branchPattern)).toEqual(["develop"]);
    expect(resourcesOfType(qa, ENV_SECRET).map((r) => inputs(r).secretName).sort()).toEqual(["KUBE_CONFIG_QA", "QA_API_KEY"]);
    // The same spec protecting the branch is what staging does: exactly one BranchProtection for develop.
    const staging = await plan("staging", { sentinels: true, spec: { protectDeployBranch: true } });
    expect(resourcesOfType(staging, BRANCH).map((r) => inputs(r).pattern)).toEqual(["develop"]);
  });

  it("without protecting its deploy branch, the owner of the repository settings still protects its other branches", async () => {
    const p = await plan("production", {
      sentinels: true,
      spec: { protectDeployBranch: false, otherBranches: [{ pattern: "release/*", requiredApprovals: 2, requiredChecks: ["Test Suite"] }] },
    });
    expect(resourcesOfType(p, BRANCH).map((r) => inputs(r).pattern)).toEqual(["release/*"]);
    expect(resourcesOfType(p, ENVIRONMENT)).toHaveLength(1);
  });

  it("commits the threshold files to the deploy branch it protects, before the branch's protection exists", async () => {
    for (const [stack, branch] of [["staging", "develop"], ["production", "main"]] as const) {
      const p = await plan(stack, { sentinels: true });
      const files = resourcesOfType(p, FILE);
      expect(files.map((r) => [inputs(r).file, inputs(r).branch]).sort()).toEqual([[".github/quality-gates.yml", branch], ["codecov.yml", branch]]);
      // GitHub refuses a direct commit to a branch that requires pull requests and checks.
      const protection = resourcesOfType(p, BRANCH).find((r) => inputs(r).pattern === branch);
      expect([...(protection?.options.dependsOn ?? [])].sort()).toEqual(files.map((r) => r.urn).sort());
    }
  });

  it("creates every GitHub resource with the explicit GitHub provider and every Kubernetes one after the namespace", async () => {
    const p = await plan("production", { sentinels: true });
    const githubProvider = resourcesOfType(p, "pulumi:providers:github")[0];
    const gh = p.resources.filter((r) => r.type.startsWith("github:"));
    expect(gh.length).toBeGreaterThanOrEqual(9);
    for (const r of gh) expect(r.options.provider, r.name).toBe(githubProvider.urn);
    const namespace = resourcesOfType(p, "kubernetes:core/v1:Namespace")[0];
    for (const r of p.resources.filter((x) => x.type.startsWith("kubernetes:") && x !== namespace)) expect(r.options.dependsOn, r.name).toContain(namespace.urn);
  });

  it("resolves reviewer logins and team slugs to numeric IDs through the GitHub data sources", async () => {
    const p = await plan("production", { sentinels: true, spec: { reviewers: { users: ["octocat", 1001], teams: ["platform-leads", 2002] } } });
    const environment = resourcesOfType(p, ENVIRONMENT)[0];
    const [reviewers] = inputs(environment).reviewers as { users: number[]; teams: number[] }[];
    expect(reviewers.users).toHaveLength(2);
    expect(reviewers.teams).toHaveLength(2);
    for (const id of [...reviewers.users, ...reviewers.teams]) expect(Number.isSafeInteger(id) && id > 0, String(id)).toBe(true);
    expect(reviewers.users).toContain(1001);
    expect(reviewers.teams).toContain(2002);
    expect(inputs(environment)).toMatchObject({ environment: "production", canAdminsBypass: false, deploymentBranchPolicy: { customBranchPolicies: true, protectedBranches: false } });
  });

  it("stores no repository secret it is not given a value for (the config edge requires each one where the stack owns repository settings)", async () => {
    const p = await plan("production", { sentinels: false });
    expect(resourcesOfType(p, REPO_SECRET)).toEqual([]);
  });

  it("still fails on a provider function the mocks do not answer, and answers the reviewer lookups", async () => {
    const raw = rawFromDoc("staging", loadStackDoc("staging"));
    const lookups = async () => {
      const [user, team] = await Promise.all([github.getUser({ username: "octocat" }), github.getTeam({ slug: "platform-leads" })]);
      return { user: user.name, team: team.name };
    };
    expect((await planStack(raw, lookups)).outputs).toEqual({
      user: "OFFLINE-PLACEHOLDER-NOT-A-REAL-USER(octocat)",
      team: "OFFLINE-PLACEHOLDER-NOT-A-REAL-TEAM(platform-leads)",
    });
    // The SDK rethrows a failed invoke with the engine's `details`, which a
    // mock's Error has not: the plan's rejection has no message. So the test
    // listens where the recorder's mocks answer (the mock monitor's invoke) and
    // asserts it is the offline refusal of that very call, not any failure.
    const refusals: unknown[] = [];
    const unanswered = async () => {
      const monitor = getMonitor() as unknown as { invoke(req: unknown, callback: (err: unknown, response: unknown) => void): void };
      const invoke = monitor.invoke.bind(monitor);
      monitor.invoke = (req, callback) =>
        invoke(req, (err, response) => {
          if (err) refusals.push(err);
          callback(err, response);
        });
      return github.getRepository({ name: "agent-hive" });
    };
    await expect(planStack(raw, unanswered)).rejects.toBeInstanceOf(Error);
    expect(refusals.map((e) => (e as Error).message)).toEqual([
      "unexpected provider call github:index/getRepository:getRepository: give it a mock answer in stacks/offline/recorder.ts",
    ]);
  });
});
