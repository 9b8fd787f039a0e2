import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { describe, expect, it } from "vitest";
import { buildIngress } from "../../infra/ingress/builders";
import type { IngressSpec } from "../../infra/ingress/spec";
import { ingressSpec } from "../../stacks/specs";
import { committedConfig } from "../support/stacks";

/** The public endpoint a committed stack gives the program, projected as stacks/platform.ts does. */
function committed(stack: string): IngressSpec {
  const spec = ingressSpec(committedConfig(stack));
  if (spec === undefined) throw new Error(`Pulumi.${stack}.yaml has no ingress`);
  return structuredClone(spec);
}

describe("the environment's Ingress", () => {
  it("serves production's host over TLS from cert-manager's issuer, to the clients' Service", () => {
    const ingress = buildIngress(committed("production"));
    expect(ingress.metadata).toMatchObject({ name: "agent-hive", namespace: "agent-hive-production", annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } });
    expect(ingress.spec?.ingressClassName).toBe("nginx");
    expect(ingress.spec?.tls).toEqual([{ hosts: ["api.agent-hive.com"], secretName: "agent-hive-production-tls" }]);
    // The clients' Service selects every version's pods, so a canary gets its share of the public traffic.
    expect(ingress.spec?.rules).toEqual([
      { host: "api.agent-hive.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "agent-hive-service", port: { number: 8080 } } } }] } },
    ]);
  });

  it("serves staging's own host", () => {
    const ingress = buildIngress(committed("staging"));
    expect(ingress.spec?.rules?.[0].host).toBe("staging.agent-hive.com");
    expect(ingress.spec?.tls?.[0]).toEqual({ hosts: ["staging.agent-hive.com"], secretName: "agent-hive-staging-tls" });
  });

  it("has no issuer annotation when the certificate Secret is provided by hand, and keeps the controller's annotations", () => {
    const spec = committed("staging");
    const ingress = buildIngress({ ...spec, tls: { secretName: "wildcard-tls" }, annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "10m" } });
    expect(ingress.metadata?.annotations).toEqual({ "nginx.ingress.kubernetes.io/proxy-body-size": "10m" });
    expect(ingress.spec?.tls).toEqual([{ hosts: ["staging.agent-hive.com"], secretName: "wildcard-tls" }]);
  });

  it("does not let an extra annotation replace the configured issuer", () => {
    const spec = committed("production");
    const ingress = buildIngress({ ...spec, annotations: { "cert-manager.io/cluster-issuer": "someone-else" } });
    expect(ingress.metadata?.annotations?.["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
  });

  it("passes the Kubernetes schema", () => {
    expect(() => new Ingress(buildIngress(committed("production"))).validate()).not.toThrow();
  });
});
