import { describe, expect, it } from "vitest";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IPolicyRule } from "kubernetes-models/rbac.authorization.k8s.io/v1/PolicyRule";
import {
  DEPLOYER,
  buildPushgatewayRole,
  buildPushgatewayRoleBinding,
  buildRole,
  buildRoleBinding,
  buildServiceAccount,
  buildTokenSecret,
  deployerRules,
} from "../../../infra/deployer/builders/identity";
import type { DeployerSpec } from "../../../infra/deployer/spec";

const spec: DeployerSpec = { environment: "staging", namespace: "agent-hive-staging", imageOwner: "stack" };
const pipelineSpec: DeployerSpec = { ...spec, imageOwner: "pipeline" };
const withPushgateway: DeployerSpec = { ...spec, pushgateway: { namespace: "monitoring", serviceName: "pushgateway" } };

/** The value, or a failed test: a builder that should have built something did not. */
function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("expected a built object, got undefined");
  return value;
}

/** Whether any rule grants `verb` on `resource` of `group` (RBAC rules add up). */
const grants = (rules: readonly IPolicyRule[], group: string, resource: string, verb: string) =>
  rules.some((r) => (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource) && r.verbs.includes(verb));
/** All verbs granted on one resource, over every rule. */
const verbsOn = (rules: readonly IPolicyRule[], group: string, resource: string) =>
  [...new Set(rules.filter((r) => (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource)).flatMap((r) => r.verbs))].sort();

describe.each([
  ["stack", spec],
  ["pipeline", pipelineSpec],
] as const)("deployer RBAC, image owned by the %s", (_owner, ownerSpec) => {
  const rules = buildRole(ownerSpec).rules ?? [];

  it("grants no access to secrets, configmaps, exec, port-forward or any wildcard", () => {
    const resources = rules.flatMap((r) => r.resources ?? []);
    for (const forbidden of ["secrets", "configmaps", "pods/exec", "pods/attach", "pods/portforward", "*"]) expect(resources).not.toContain(forbidden);
    for (const r of rules) {
      expect(r.verbs).not.toContain("*");
      expect(r.apiGroups).not.toContain("*");
      expect(r.nonResourceURLs).toBeUndefined();
      expect(r.resourceNames).toBeUndefined();
    }
  });

  it("cannot create or delete anything, or escalate through RBAC", () => {
    const verbs = new Set(rules.flatMap((r) => r.verbs));
    for (const v of ["create", "delete", "deletecollection", "escalate", "bind", "impersonate"]) expect(verbs.has(v)).toBe(false);
    expect(rules.flatMap((r) => r.apiGroups ?? [])).not.toContain("rbac.authorization.k8s.io");
  });

  it("names no cluster-scoped kind", () => {
    const clusterScoped = ["namespaces", "nodes", "persistentvolumes", "clusterroles", "clusterrolebindings", "customresourcedefinitions", "clusteranalysistemplates"];
    for (const r of rules) for (const res of r.resources ?? []) expect(clusterScoped).not.toContain(res.split("/")[0]);
  });

  it("can promote, abort and watch a Rollout and read pods, logs, replica sets, services and events", () => {
    // promote: GET the rollout, merge-PATCH status (and the rollout for spec.paused); abort/retry: PATCH status;
    // status / get rollout: informers (list+watch) on rollouts, replicasets, pods, analysisruns, experiments.
    for (const verb of ["get", "list", "watch", "patch"]) expect(grants(rules, "argoproj.io", "rollouts", verb), verb).toBe(true);
    expect(verbsOn(rules, "argoproj.io", "rollouts/status")).toEqual(["patch"]);
    for (const verb of ["get", "list", "watch"]) {
      expect(grants(rules, "argoproj.io", "analysisruns", verb)).toBe(true);
      expect(grants(rules, "argoproj.io", "experiments", verb)).toBe(true);
      expect(grants(rules, "apps", "replicasets", verb)).toBe(true);
      for (const res of ["pods", "services", "events"]) expect(grants(rules, "", res, verb), `${res} ${verb}`).toBe(true);
    }
    expect(grants(rules, "", "pods/log", "get")).toBe(true);
    expect(grants(rules, "argoproj.io", "analysisruns", "patch")).toBe(false);
    expect(grants(rules, "argoproj.io", "analysistemplates", "get")).toBe(false);
    // `set image` on a Rollout with a workloadRef would update the Deployment: never granted.
    expect(grants(rules, "apps", "deployments", "update")).toBe(false);
  });

  it("is a namespaced Role bound to the deployer service account in the same namespace only", () => {
    const role = buildRole(ownerSpec);
    const binding = buildRoleBinding(ownerSpec);
    expect(role.kind).toBe("Role");
    expect(role.metadata?.namespace).toBe("agent-hive-staging");
    expect(binding.kind).toBe("RoleBinding");
    expect(binding.metadata?.namespace).toBe("agent-hive-staging");
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: DEPLOYER.role });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "agent-hive-deployer", namespace: "agent-hive-staging" }]);
  });

  it("hands out copies, so the rule catalogue cannot be changed through a built Role", () => {
    const role = buildRole(ownerSpec);
    for (const r of role.rules ?? []) r.verbs.push("delete");
    expect(deployerRules(ownerSpec).flatMap((r) => r.verbs)).not.toContain("delete");
  });
});

describe("deployer RBAC follows who owns the image", () => {
  it("with the stack owning it, the pipeline can promote and abort but not update a Rollout (no `set image`)", () => {
    const rules = deployerRules(spec);
    expect(verbsOn(rules, "argoproj.io", "rollouts")).toEqual(["get", "list", "patch", "watch"]);
    expect(verbsOn(rules, "argoproj.io", "rollouts/status")).toEqual(["patch"]);
    expect(rules.some((r) => r.verbs.includes("update"))).toBe(false);
  });

  it("with the pipeline owning it, it may also update a Rollout: `set image` is a Get then an Update", () => {
    const rules = deployerRules(pipelineSpec);
    expect(verbsOn(rules, "argoproj.io", "rollouts")).toEqual(["get", "list", "patch", "update", "watch"]);
    // The plugin never writes status with an update; only rollouts itself gains the verb.
    expect(verbsOn(rules, "argoproj.io", "rollouts/status")).toEqual(["patch"]);
    const updates = rules.filter((r) => r.verbs.includes("update"));
    expect(updates.flatMap((r) => [...(r.apiGroups ?? []), ...(r.resources ?? [])])).toEqual(["argoproj.io", "rollouts"]);
  });

  it("differs between the owners by exactly `update` on rollouts", () => {
    const key = (r: IPolicyRule) => JSON.stringify(r);
    const stack = new Set(deployerRules(spec).map(key));
    const extra = deployerRules(pipelineSpec).filter((r) => !stack.has(key(r)));
    expect(extra).toEqual([{ apiGroups: ["argoproj.io"], resources: ["rollouts"], verbs: ["update"] }]);
  });

  // An owner other than stack or pipeline is refused at the config edge (delivery.imageOwner, test/config/bad-configs.test.ts).
});

describe("pushgateway port-forward grant", () => {
  it("exists only when the spec asks for it", () => {
    expect(buildPushgatewayRole(spec)).toBeUndefined();
    expect(buildPushgatewayRoleBinding(spec)).toBeUndefined();
    expect(buildPushgatewayRole(withPushgateway)?.metadata?.namespace).toBe(withPushgateway.pushgateway?.namespace);
  });

  it("allows exactly what `kubectl port-forward svc/pushgateway 9091` needs, in the Pushgateway's namespace", () => {
    const role = buildPushgatewayRole(withPushgateway);
    expect(role?.metadata).toMatchObject({ name: "agent-hive-deployer-pushgateway-agent-hive-staging", namespace: "monitoring" });
    expect(role?.rules).toEqual([
      { apiGroups: [""], resources: ["services"], resourceNames: ["pushgateway"], verbs: ["get"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
      { apiGroups: [""], resources: ["pods/portforward"], verbs: ["get", "create"] },
    ]);
  });

  it("reads no secrets, execs nothing, changes no object and lists no services", () => {
    const rules = buildPushgatewayRole(withPushgateway)?.rules ?? [];
    for (const res of ["secrets", "configmaps", "pods/exec", "pods/attach", "pods/log", "*"]) expect(rules.flatMap((r) => r.resources ?? [])).not.toContain(res);
    for (const verb of ["update", "patch", "delete", "deletecollection", "watch", "*"]) expect(rules.flatMap((r) => r.verbs)).not.toContain(verb);
    expect(rules.flatMap((r) => r.verbs).filter((v) => v === "create")).toEqual(["create"]);
    expect(grants(rules, "", "pods/portforward", "create")).toBe(true);
    // The WebSocket transport (kubectl 1.31+) is authorized as get before API server 1.35.
    expect(grants(rules, "", "pods/portforward", "get")).toBe(true);
    expect(grants(rules, "", "services", "list")).toBe(false);
  });

  it("binds only the deployer of this environment, from the Pushgateway's namespace", () => {
    const binding = buildPushgatewayRoleBinding(withPushgateway);
    expect(binding?.metadata).toMatchObject({ name: "agent-hive-deployer-pushgateway-agent-hive-staging", namespace: "monitoring" });
    expect(binding?.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "agent-hive-deployer-pushgateway-agent-hive-staging" });
    expect(binding?.subjects).toEqual([{ kind: "ServiceAccount", name: "agent-hive-deployer", namespace: "agent-hive-staging" }]);
  });

  it("gives two environments sharing one Pushgateway different names", () => {
    const production = { ...withPushgateway, environment: "production", namespace: "agent-hive-production" };
    expect(buildPushgatewayRole(production)?.metadata?.name).not.toBe(buildPushgatewayRole(withPushgateway)?.metadata?.name);
  });

  // An empty or invalid Pushgateway namespace is refused at the config edge (addons.pushgateway.namespace,
  // test/config/hostile-configs.test.ts); the Service name is the catalogue's PUSHGATEWAY_SERVICE.
});

describe("deployer service account and token", () => {
  it("never mounts the deployer's token into a pod", () => {
    const sa = buildServiceAccount(spec);
    expect(sa.metadata).toMatchObject({ name: "agent-hive-deployer", namespace: "agent-hive-staging" });
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it("asks the token controller for a token of the deployer account, with no data of its own", () => {
    const secret = buildTokenSecret(spec);
    expect(secret.type).toBe("kubernetes.io/service-account-token");
    expect(secret.metadata?.annotations).toEqual({ "kubernetes.io/service-account.name": "agent-hive-deployer" });
    expect(secret.metadata?.namespace).toBe("agent-hive-staging");
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
  });
});

describe("kubernetes schemas", () => {
  it.each([
    ["ServiceAccount", () => new ServiceAccount(buildServiceAccount(spec))],
    ["Role", () => new Role(buildRole(spec))],
    ["RoleBinding", () => new RoleBinding(buildRoleBinding(spec))],
    ["pipeline Role", () => new Role(buildRole(pipelineSpec))],
    ["Pushgateway Role", () => new Role(defined(buildPushgatewayRole(withPushgateway)))],
    ["Pushgateway RoleBinding", () => new RoleBinding(defined(buildPushgatewayRoleBinding(withPushgateway)))],
    ["token Secret", () => new Secret(buildTokenSecret(spec))],
  ])("%s passes its Kubernetes schema", (_kind, make) => {
    expect(() => make().validate()).not.toThrow();
  });
});
