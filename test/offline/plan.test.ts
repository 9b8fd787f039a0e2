import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { describe, expect, it } from "vitest";
import program from "../../stacks/index";
import { PROJECT } from "../../infra/catalogue/names";
import { ConfigError, ConfigMode } from "../../stacks/config/parse";
import { planStack } from "../../stacks/offline/run";
import { Plan } from "../../stacks/offline/run";
import { cfg, loadStackDoc, planCommitted, planDoc, rawFromDoc, resourcesOfType } from "../support/stacks";

/** The environment's own namespace (add-ons bring theirs). */
const envNamespace = (plan: Plan) => resourcesOfType(plan, "kubernetes:core/v1:Namespace").filter((r) => r.urn.includes("agent-hive:environment:Environment"));
const namespaceOf = (inputs: unknown) => (inputs as { metadata?: { namespace?: string } }).metadata?.namespace;

describe("offline plan of the committed stacks", () => {
  it("registers the environment slice under explicit providers", async () => {
    const plan = await planCommitted("staging");
    const k8sProvider = resourcesOfType(plan, "pulumi:providers:kubernetes");
    expect(k8sProvider).toHaveLength(1);
    expect(k8sProvider[0].inputs).toMatchObject({ context: "agent-hive-staging" });
    expect(resourcesOfType(plan, "pulumi:providers:github")[0].inputs).toMatchObject({ owner: "leanvibe" });
    const kube = plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kube.length).toBeGreaterThan(0);
    for (const r of kube) expect(r.options.provider, r.urn).toBe(k8sProvider[0].urn);
  });

  it("names the namespaces after the guide and protects production's only", async () => {
    const [staging, production] = await Promise.all(["staging", "production"].map(async (s) => envNamespace(await planCommitted(s))));
    expect(staging.map((r) => [((r.inputs as { metadata: { name: string } }).metadata.name), r.options.protect])).toEqual([["agent-hive-staging", false]]);
    expect(production.map((r) => [((r.inputs as { metadata: { name: string } }).metadata.name), r.options.protect])).toEqual([["agent-hive-production", true]]);
  });

  it("makes everything in the namespace depend on it", async () => {
    const plan = await planCommitted("production");
    const ns = envNamespace(plan)[0];
    const namespaced = plan.resources.filter((r) => namespaceOf(r.inputs) === "agent-hive-production");
    expect(namespaced.length).toBeGreaterThanOrEqual(12);
    for (const r of namespaced) expect(r.options.dependsOn, r.urn).toContain(ns.urn);
  });

  it("parents every resource to a component or the stack, with stable URNs", async () => {
    const plan = await planCommitted("production");
    const urns = new Set(plan.resources.map((r) => r.urn));
    for (const r of plan.resources) if (r.type !== "pulumi:pulumi:Stack") expect(urns.has(r.parent ?? ""), r.urn).toBe(true);
    expect(urns).toContain("urn:pulumi:production::agent-hive-platform::agent-hive:environment:Environment$kubernetes:core/v1:Namespace::agent-hive-namespace");
  });

  it("publishes the namespace as a stack output", async () => {
    expect((await planCommitted("staging")).outputs).toEqual({
      environment: "staging",
      namespace: "agent-hive-staging",
      rollouts: ["agent-hive-orchestrator"],
      githubEnvironment: "staging",
      grafanaAdminPassword: "[computed]",
      environmentSecrets: ["KUBE_CONFIG_STAGING", "STAGING_API_KEY"],
      url: "https://staging.agent-hive.com",
    });
  });
});

describe("secrets in the plan", () => {
  it("shows a kubeconfig set with --secret only as [secret]", async () => {
    const sentinel = "SENTINEL-KUBECONFIG-7f3a9c";
    const plan = await planDoc("staging", loadStackDoc("staging"), { kubeconfig: sentinel });
    expect(resourcesOfType(plan, "pulumi:providers:kubernetes")[0].inputs).toMatchObject({ kubeconfig: "[secret]" });
    expect(JSON.stringify(plan)).not.toContain(sentinel);
  });
});

describe("a new environment is only a stack file", () => {
  it("plans a qa stack copied from staging with another namespace", async () => {
    const doc = loadStackDoc("staging");
    doc.config[`${PROJECT}:environment`] = "qa";
    cfg(doc, "namespace").name = "agent-hive-qa";
    const plan = await planDoc("qa", doc);
    expect(plan.stack).toBe("qa");
    const ns = envNamespace(plan)[0];
    expect(ns.inputs).toMatchObject({ metadata: { name: "agent-hive-qa", labels: { environment: "qa" } } });
    expect(ns.urn.startsWith("urn:pulumi:qa::agent-hive-platform::")).toBe(true);
  });

  it("defaults the namespace to agent-hive-<environment>", async () => {
    const doc = loadStackDoc("staging");
    doc.config[`${PROJECT}:environment`] = "perf";
    delete cfg(doc, "namespace").name;
    const ns = envNamespace(await planDoc("perf", doc))[0];
    expect(ns.inputs).toMatchObject({ metadata: { name: "agent-hive-perf" } });
  });
});

describe("invalid config through the program", () => {
  it("fails before registering anything but the stack itself", async () => {
    const doc = loadStackDoc("staging");
    cfg(doc, "namespace").name = "Bad_Name";
    let monitor: { resources: Map<string, unknown> } | undefined;
    const entry = (mode: ConfigMode) => {
      monitor = getMonitor() as unknown as { resources: Map<string, unknown> };
      return program(mode);
    };
    const failure = planStack(rawFromDoc("staging", doc), entry);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toMatchObject({ problems: [expect.objectContaining({ key: `${PROJECT}:namespace.name`, value: '"Bad_Name"' })] });
    const registered = [...(monitor?.resources.keys() ?? [])];
    expect(registered).toEqual(["urn:pulumi:staging::agent-hive-platform::pulumi:pulumi:Stack::agent-hive-platform-staging"]);
  });
});
