import { Secret } from "kubernetes-models/v1/Secret";
import { describe, expect, it } from "vitest";
import { DOCKER_CONFIG_KEY, buildPullSecret, dockerConfigJson } from "../../infra/registry/builders";
import type { RegistrySpec } from "../../infra/registry/spec";

const spec: RegistrySpec = { environment: "production", namespace: "agent-hive-production", server: "ghcr.io", username: "leanvibe-bot" };

describe("the registry's pull secret", () => {
  it("is a dockerconfigjson Secret named agent-hive-registry in the environment's namespace, without its value", () => {
    const secret = buildPullSecret(spec);
    expect(secret.type).toBe("kubernetes.io/dockerconfigjson");
    expect(secret.metadata).toMatchObject({ name: "agent-hive-registry", namespace: "agent-hive-production" });
    expect(secret.stringData).toBeUndefined();
    expect(secret.data).toBeUndefined();
  });

  it("holds what kubectl create secret docker-registry writes, auth included", () => {
    const config = JSON.parse(dockerConfigJson("ghcr.io", "leanvibe-bot", "p@ss:word")) as { auths: Record<string, { username: string; password: string; auth: string }> };
    expect(Object.keys(config.auths)).toEqual(["ghcr.io"]);
    expect(config.auths["ghcr.io"]).toMatchObject({ username: "leanvibe-bot", password: "p@ss:word" });
    expect(Buffer.from(config.auths["ghcr.io"].auth, "base64").toString("utf8")).toBe("leanvibe-bot:p@ss:word");
  });

  it("passes the Kubernetes schema once the component adds the value", () => {
    expect(() => new Secret({ ...buildPullSecret(spec), stringData: { [DOCKER_CONFIG_KEY]: dockerConfigJson("ghcr.io", "u", "p") } }).validate()).not.toThrow();
  });
});
