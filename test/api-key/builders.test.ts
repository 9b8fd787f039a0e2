import { describe, expect, it } from "vitest";
import { Secret } from "kubernetes-models/v1/Secret";
import { API_KEY_PASSWORD, buildApiKeySecret } from "../../infra/api-key/builders";
import type { ApiKeySpec } from "../../infra/api-key/spec";
import { API_KEY_SECRET } from "../../infra/catalogue/names";

const spec: ApiKeySpec = { environment: "staging", namespace: "agent-hive-staging" };

describe("API key", () => {
  it("is 48 characters without specials, in the agent-hive-api-key Secret of the namespace", () => {
    expect(API_KEY_PASSWORD).toMatchObject({ length: 48, special: false });
    const secret = buildApiKeySecret(spec);
    expect(secret.metadata).toMatchObject({ name: "agent-hive-api-key", namespace: "agent-hive-staging" });
    expect(secret.type).toBe("Opaque");
    expect(secret.stringData).toBeUndefined();
  });

  it("is a Secret that passes its Kubernetes schema once the component adds the value", () => {
    expect(() => new Secret({ ...buildApiKeySecret(spec), stringData: { [API_KEY_SECRET.key]: "x" } }).validate()).not.toThrow();
  });
});
