import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildKubeconfig, kubeconfigFromTokenData } from "../../../infra/deployer/builders/kubeconfig";

// A syntactically real PEM header is what the config edge looks for in kubernetes.caData; the body is filler.
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIBfakeCAforTests\n-----END CERTIFICATE-----\n").toString("base64");
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

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

  it("refuses a token the cluster left empty, without echoing what it got", () => {
    const error = (() => {
      try {
        buildKubeconfig({ ...input, token: " \n" });
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/the token is empty/);
  });

  // A plain-http endpoint and a CA that is not a base64 PEM certificate are refused at the config edge
  // (kubernetes.apiServer, kubernetes.caData: test/config/bad-configs.test.ts), before any kubeconfig is built.
});
