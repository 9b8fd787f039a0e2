import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { Deployer } from "../../infra/deployer/component";
import type { DeployerSpec } from "../../infra/deployer/spec";
import { Plan, planStack } from "../../stacks/offline/run";
import { loadStackDoc, rawFromDoc, resourcesOfType } from "../support/stacks";

const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nTEST-CA-NOT-REAL\n-----END CERTIFICATE-----\n").toString("base64");

type Meta = { metadata: { name: string; namespace: string } };
type Rules = { rules: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[] };

/** The Deployer alone, as the platform builds it, with a namespace and (optionally) the Pushgateway's namespace. */
function plan(spec: Partial<DeployerSpec>): Promise<Plan> {
  return planStack(rawFromDoc("staging", loadStackDoc("staging")), async () => {
    const provider = new k8s.Provider("test-k8s", {});
    const namespace = new k8s.core.v1.Namespace("test-namespace", { metadata: { name: "agent-hive-staging" } }, { provider });
    const monitoring = new k8s.core.v1.Namespace("test-monitoring", { metadata: { name: "monitoring" } }, { provider });
    new Deployer("agent-hive-deployer", {
      spec: { environment: "staging", namespace: "agent-hive-staging", imageOwner: "stack", ...spec },
      provider,
      namespace,
      cluster: { clusterName: "agent-hive-staging", endpoint: "https://k8s.staging.example.test:6443", caData: CA },
      pushgatewayDependsOn: [monitoring],
    });
    return {};
  });
}

const inNamespace = (p: Plan, type: string, ns: string) => resourcesOfType(p, type).filter((r) => (r.inputs as Meta).metadata.namespace === ns);

describe("Deployer component", () => {
  it("creates no RBAC outside the environment's namespace without `pushgateway`", async () => {
    const p = await plan({});
    expect(resourcesOfType(p, ROLE).map((r) => (r.inputs as Meta).metadata.namespace)).toEqual(["agent-hive-staging"]);
    expect(resourcesOfType(p, BINDING).map((r) => (r.inputs as Meta).metadata.namespace)).toEqual(["agent-hive-staging"]);
    expect(p.resources.filter((r) => r.name.includes("pushgateway"))).toEqual([]);
  });

  it("with `pushgateway`, adds the port-forward Role and its binding in that namespace, after it exists", async () => {
    const p = await plan({ pushgateway: { namespace: "monitoring", serviceName: "pushgateway" } });
    const [role] = inNamespace(p, ROLE, "monitoring");
    const [binding] = inNamespace(p, BINDING, "monitoring");
    expect([inNamespace(p, ROLE, "monitoring").length, inNamespace(p, BINDING, "monitoring").length]).toEqual([1, 1]);
    expect((role.inputs as Rules).rules.flatMap((r) => r.resources)).toEqual(["services", "pods", "pods/portforward"]);
    const monitoring = resourcesOfType(p, "kubernetes:core/v1:Namespace").find((r) => r.name === "test-monitoring");
    for (const r of [role, binding]) expect(r.options.dependsOn, r.name).toContain(monitoring?.urn);
    // The environment's own Role is unchanged by the extra grant.
    expect(inNamespace(p, ROLE, "agent-hive-staging")).toHaveLength(1);
  });

  it("registers the Role the image owner calls for", async () => {
    const verbs = async (imageOwner: DeployerSpec["imageOwner"]) => {
      const [role] = inNamespace(await plan({ imageOwner }), ROLE, "agent-hive-staging");
      return [...new Set((role.inputs as Rules).rules.filter((r) => r.resources.includes("rollouts")).flatMap((r) => r.verbs))].sort();
    };
    expect(await verbs("stack")).toEqual(["get", "list", "patch", "watch"]);
    expect(await verbs("pipeline")).toEqual(["get", "list", "patch", "update", "watch"]);
  });
});
