import { describe, expect, it } from "vitest";
import { buildLimitRange, buildNamespace, buildNetworkPolicies, buildResourceQuota } from "../../infra/environment/builders";
import type { EnvironmentSpec } from "../../infra/environment/spec";

const spec = (over: Partial<EnvironmentSpec> = {}): EnvironmentSpec => ({
  environment: "staging",
  namespace: "agent-hive-staging",
  labels: { team: "platform" },
  quota: { requestsCpu: "8", requestsMemory: "16Gi", limitsCpu: "16", limitsMemory: "32Gi", pods: 40, services: 20, persistentVolumeClaims: 0 },
  containerDefaults: {
    request: { cpu: "100m", memory: "128Mi" },
    limit: { cpu: "500m", memory: "512Mi" },
    max: { cpu: "2", memory: "4Gi" },
  },
  network: { ingress: { controllerNamespace: "ingress-nginx", acmeHttp01Solver: false }, monitoringNamespace: "monitoring", allowHttpsEgress: true, allowExternalServices: false },
  servicePorts: [8080],
  ...over,
});

describe("namespace", () => {
  it("enforces Pod Security Admission restricted and carries environment and app labels", () => {
    const labels = buildNamespace(spec()).metadata?.labels ?? {};
    expect(labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      environment: "staging",
      app: "agent-hive",
      team: "platform",
    });
    expect(buildNamespace(spec()).metadata?.name).toBe("agent-hive-staging");
  });

  it("does not let config labels override the platform's own", () => {
    const labels = buildNamespace(spec({ labels: { "pod-security.kubernetes.io/enforce": "privileged", environment: "prod" } })).metadata?.labels;
    expect(labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(labels?.environment).toBe("staging");
  });
});

describe("quota and container defaults", () => {
  it("takes the quota from config and forbids external services unless allowed", () => {
    const hard = buildResourceQuota(spec()).spec?.hard;
    expect(hard).toMatchObject({ "requests.cpu": "8", "limits.memory": "32Gi", pods: "40", "services.loadbalancers": "0", "services.nodeports": "0" });
    const open = buildResourceQuota(spec({ network: { ...spec().network, allowExternalServices: true } })).spec?.hard;
    expect(open).not.toHaveProperty("services.loadbalancers");
  });

  it("gives containers default requests, limits and a ceiling", () => {
    expect(buildLimitRange(spec()).spec?.limits).toEqual([
      { type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "512Mi" }, max: { cpu: "2", memory: "4Gi" } },
    ]);
  });
});

describe("network policies", () => {
  const byName = (s: EnvironmentSpec) => new Map(buildNetworkPolicies(s).map((p) => [p.metadata?.name, p.spec]));

  it("denies all traffic by default in both directions", () => {
    expect(byName(spec()).get("default-deny-all")).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("allows DNS only to kube-dns", () => {
    const dns = byName(spec()).get("allow-dns-egress");
    expect(dns?.egress?.[0].to?.[0]).toEqual({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    });
    expect(dns?.egress?.[0].ports?.map((p) => `${p.protocol}/${p.port}`)).toEqual(["UDP/53", "TCP/53"]);
  });

  it("lets the ingress controller and Prometheus reach exactly the services' ports", () => {
    const rule = byName(spec({ servicePorts: [9090, 8080, 8080] })).get("allow-ingress-and-monitoring")?.ingress?.[0];
    expect(rule?.from?.map((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"])).toEqual(["ingress-nginx", "monitoring"]);
    // From the monitoring namespace only Prometheus, not Grafana or the Pushgateway.
    expect(rule?.from?.[0].podSelector).toBeUndefined();
    expect(rule?.from?.[1].podSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "prometheus" } });
    expect(rule?.ports).toEqual([
      { protocol: "TCP", port: 8080 },
      { protocol: "TCP", port: 9090 },
    ]);
  });

  it("admits no ingress controller without an Ingress: only Prometheus reaches the services", () => {
    const rule = byName(spec({ network: { ...spec().network, ingress: undefined } })).get("allow-ingress-and-monitoring")?.ingress?.[0];
    expect(rule?.from?.map((f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"])).toEqual(["monitoring"]);
  });

  it("lets the ingress controller reach cert-manager's HTTP-01 solver only where the Ingress has a cluster issuer", () => {
    expect(byName(spec()).has("allow-acme-http01-solver")).toBe(false);
    const solver = byName(spec({ network: { ...spec().network, ingress: { controllerNamespace: "ingress-nginx", acmeHttp01Solver: true } } })).get("allow-acme-http01-solver");
    expect(solver).toEqual({
      podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ protocol: "TCP", port: 8089 }] }],
    });
  });

  it("keeps HTTPS egress away from private ranges, and drops it when config says so", () => {
    const egress = byName(spec()).get("allow-https-egress")?.egress?.[0];
    expect(egress?.to?.[0].ipBlock?.except).toEqual(expect.arrayContaining(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]));
    expect(byName(spec({ network: { ...spec().network, allowHttpsEgress: false } })).has("allow-https-egress")).toBe(false);
  });

  it("puts every policy in the environment's namespace", () => {
    expect(new Set(buildNetworkPolicies(spec()).map((p) => p.metadata?.namespace))).toEqual(new Set(["agent-hive-staging"]));
  });
});
