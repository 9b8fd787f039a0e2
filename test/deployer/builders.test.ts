import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { API_KEY_PASSWORD, API_KEY_SECRET, buildApiKeySecret } from "../../infra/deployer/apiKey";
import { DEPLOYER, DEPLOYER_RULES, DeployerSpec, buildRole, buildRoleBinding, buildServiceAccount, buildTokenSecret } from "../../infra/deployer/builders";
import { buildKubeconfig, kubeconfigFromTokenData, validateCluster } from "../../infra/deployer/kubeconfig";

const spec: DeployerSpec = { environment: "staging", namespace: "agent-hive-staging" };
// A syntactically real PEM header is what validateCluster looks for; the body is filler.
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIBfakeCAforTests\n-----END CERTIFICATE-----\n").toString("base64");
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("deployer RBAC", () => {
  const rules = buildRole(spec).rules ?? [];

  it("grants no access to secrets, configmaps, exec or any wildcard", () => {
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

  it("can roll, promote and watch a Rollout and read pods, logs, replica sets, services and events", () => {
    const can = (group: string, resource: string, verb: string) =>
      rules.some((r) => (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource) && r.verbs.includes(verb));
    for (const verb of ["get", "list", "watch", "patch", "update"]) expect(can("argoproj.io", "rollouts", verb), verb).toBe(true);
    expect(can("argoproj.io", "rollouts/status", "patch")).toBe(true);
    for (const verb of ["get", "list", "watch"]) {
      expect(can("argoproj.io", "analysisruns", verb)).toBe(true);
      expect(can("argoproj.io", "experiments", verb)).toBe(true);
      expect(can("apps", "replicasets", verb)).toBe(true);
      for (const res of ["pods", "services", "events"]) expect(can("", res, verb), `${res} ${verb}`).toBe(true);
    }
    expect(can("", "pods/log", "get")).toBe(true);
    expect(can("argoproj.io", "analysisruns", "patch")).toBe(false);
    expect(can("argoproj.io", "analysistemplates", "get")).toBe(false);
  });

  it("is a namespaced Role bound to the deployer service account in the same namespace only", () => {
    const role = buildRole(spec);
    const binding = buildRoleBinding(spec);
    expect(role.kind).toBe("Role");
    expect(role.metadata?.namespace).toBe("agent-hive-staging");
    expect(binding.kind).toBe("RoleBinding");
    expect(binding.metadata?.namespace).toBe("agent-hive-staging");
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: DEPLOYER.role });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "agent-hive-deployer", namespace: "agent-hive-staging" }]);
  });

  it("hands out copies, so the rule catalogue cannot be changed through a built Role", () => {
    const role = buildRole(spec);
    role.rules?.[0].verbs.push("delete");
    expect(DEPLOYER_RULES[0].verbs).not.toContain("delete");
  });
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
    ["token Secret", () => new Secret(buildTokenSecret(spec))],
    ["API key Secret", () => new Secret({ ...buildApiKeySecret(spec), stringData: { [API_KEY_SECRET.key]: "x" } })],
  ])("%s passes its Kubernetes schema", (_kind, make) => {
    expect(() => make().validate()).not.toThrow();
  });
});

describe("API key", () => {
  it("is 48 characters without specials, in the agent-hive-api-key Secret of the namespace", () => {
    expect(API_KEY_PASSWORD).toMatchObject({ length: 48, special: false });
    const secret = buildApiKeySecret(spec);
    expect(secret.metadata).toMatchObject({ name: "agent-hive-api-key", namespace: "agent-hive-staging" });
    expect(secret.type).toBe("Opaque");
    expect(secret.stringData).toBeUndefined();
  });
});

describe("kubeconfig", () => {
  const input = {
    clusterName: "agent-hive-staging",
    endpoint: "https://k8s.staging.example.test:6443",
    caData: CA,
    namespace: "agent-hive-staging",
    token: "TOKEN-PLACEHOLDER-abc",
    user: "agent-hive-deployer",
  };

  it("parses as YAML and points one user at one cluster and namespace", () => {
    const doc = parse(buildKubeconfig(input));
    expect(doc).toMatchObject({ apiVersion: "v1", kind: "Config", "current-context": "agent-hive-deployer@agent-hive-staging" });
    expect(doc.clusters).toEqual([{ name: "agent-hive-staging", cluster: { server: input.endpoint, "certificate-authority-data": CA } }]);
    expect(doc.users).toEqual([{ name: "agent-hive-deployer", user: { token: "TOKEN-PLACEHOLDER-abc" } }]);
    expect(doc.contexts).toEqual([
      { name: "agent-hive-deployer@agent-hive-staging", context: { cluster: "agent-hive-staging", user: "agent-hive-deployer", namespace: "agent-hive-staging" } },
    ]);
  });

  it("decodes the token from the Secret's data and defaults the CA to its ca.crt", () => {
    const doc = parse(kubeconfigFromTokenData({ token: b64("TOKEN-FROM-SECRET"), "ca.crt": CA }, { clusterName: "c", endpoint: "https://k.test" }, "ns", "u"));
    expect(doc.users[0].user.token).toBe("TOKEN-FROM-SECRET");
    expect(doc.clusters[0].cluster["certificate-authority-data"]).toBe(CA);
    expect(doc.contexts[0].context.namespace).toBe("ns");
  });

  it("prefers the configured CA over the Secret's", () => {
    const other = Buffer.from("-----BEGIN CERTIFICATE-----\nOTHER\n-----END CERTIFICATE-----\n").toString("base64");
    const doc = parse(kubeconfigFromTokenData({ token: b64("t"), "ca.crt": CA }, { clusterName: "c", endpoint: "https://k.test", caData: other }, "ns", "u"));
    expect(doc.clusters[0].cluster["certificate-authority-data"]).toBe(other);
  });

  it("fails clearly while the token Secret is not filled", () => {
    expect(() => kubeconfigFromTokenData({}, { clusterName: "c", endpoint: "https://k.test" }, "ns", "u")).toThrow(/no data.token/);
    expect(() => kubeconfigFromTokenData(undefined, { clusterName: "c", endpoint: "https://k.test" }, "ns", "u")).toThrow(/no data.token/);
  });

  it("refuses a plain-http endpoint or a CA that is not a base64 certificate, naming the value, never the token", () => {
    expect(() => buildKubeconfig({ ...input, endpoint: "http://k.test" })).toThrow(/endpoint = "http:\/\/k.test": must be the API server's https/);
    expect(() => validateCluster({ clusterName: "c", endpoint: "https://k.test", caData: "not base64!" })).toThrow(/caData = "not base64!"/);
    expect(() => validateCluster({ clusterName: "c", endpoint: "https://k.test", caData: b64("just text") })).toThrow(/base64-encoded PEM certificate/);
    const error = (() => {
      try {
        buildKubeconfig({ ...input, endpoint: "ftp://x", token: "SENTINEL-TOKEN" });
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/endpoint = "ftp:\/\/x"/);
    expect(error?.message).not.toContain("SENTINEL-TOKEN");
  });
});
