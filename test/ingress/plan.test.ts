import { describe, expect, it } from "vitest";
import { PlanResource } from "../../stacks/offline/recorder";
import { DEFAULT_STACKS, cfg, loadStackDoc, planCommitted, planDoc, resourcesOfType } from "../support/stacks";

// The public endpoint, cert-manager and the private registry in the plans of
// the committed stacks: what `pulumi up` would register, options included.

type Json = Record<string, unknown>;
const inputs = (r: PlanResource) => r.inputs as Json & { metadata: { name: string; namespace?: string; annotations?: Json } };
const one = (rs: PlanResource[], what: string) => {
  expect(rs, what).toHaveLength(1);
  return rs[0];
};
const HOSTS: Readonly<Record<string, string>> = { staging: "staging.agent-hive.com", production: "api.agent-hive.com" };

describe.each(DEFAULT_STACKS)("the public endpoint of %s", (stack) => {
  it("is one Ingress for the stack's host, class nginx, TLS from cert-manager's issuer, to the clients' Service", async () => {
    const plan = await planCommitted(stack);
    const ingress = one(resourcesOfType(plan, "kubernetes:networking.k8s.io/v1:Ingress"), "Ingress");
    const host = HOSTS[stack];
    expect(inputs(ingress).metadata).toMatchObject({ name: "agent-hive", namespace: `agent-hive-${stack}`, annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } });
    expect(inputs(ingress).spec).toMatchObject({
      ingressClassName: "nginx",
      tls: [{ hosts: [host], secretName: `agent-hive-${stack}-tls` }],
      rules: [{ host, http: { paths: [{ backend: { service: { name: "agent-hive-service", port: { number: 8080 } } } }] } }],
    });
    expect(plan.outputs).toMatchObject({ url: `https://${host}` });
  });

  it("waits for the Service it routes to and the ClusterIssuer, which waits for the release that installs its CRD", async () => {
    const plan = await planCommitted(stack);
    const ingress = one(resourcesOfType(plan, "kubernetes:networking.k8s.io/v1:Ingress"), "Ingress");
    const issuer = one(resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer"), "ClusterIssuer");
    const release = one(
      resourcesOfType(plan, "kubernetes:helm.sh/v3:Release").filter((r) => (r.inputs as { chart: string }).chart === "cert-manager"),
      "cert-manager release",
    );
    expect(release.inputs).toMatchObject({ repositoryOpts: { repo: "https://charts.jetstack.io" }, values: { crds: { enabled: true } } });
    expect(issuer.options.dependsOn).toContain(release.urn);
    const service = one(
      resourcesOfType(plan, "kubernetes:core/v1:Service").filter((s) => inputs(s).metadata.name === "agent-hive-service"),
      "clients' Service",
    );
    expect(ingress.options.dependsOn).toEqual(expect.arrayContaining([service.urn, issuer.urn]));
  });

  it("pulls with the registry's pull secret, shown only as [secret], through each service's own ServiceAccount", async () => {
    const plan = await planCommitted(stack);
    const secret = one(
      resourcesOfType(plan, "kubernetes:core/v1:Secret").filter((s) => inputs(s).metadata.name === "agent-hive-registry"),
      "pull secret",
    );
    expect(inputs(secret)).toMatchObject({ type: "kubernetes.io/dockerconfigjson", stringData: "[secret]", metadata: { namespace: `agent-hive-${stack}` } });
    expect(secret.options.additionalSecretOutputs).toEqual(expect.arrayContaining(["data", "stringData"]));
    const account = one(
      resourcesOfType(plan, "kubernetes:core/v1:ServiceAccount").filter((s) => inputs(s).metadata.name === "agent-hive-orchestrator"),
      "service's ServiceAccount",
    );
    expect(inputs(account)).toMatchObject({ automountServiceAccountToken: false, imagePullSecrets: [{ name: "agent-hive-registry" }] });
    const rollout = one(resourcesOfType(plan, "kubernetes:argoproj.io/v1alpha1:Rollout"), "Rollout");
    expect(((inputs(rollout).spec as Json).template as { spec: Json }).spec.serviceAccountName).toBe("agent-hive-orchestrator");
    expect(rollout.options.dependsOn).toEqual(expect.arrayContaining([account.urn, secret.urn]));
  });
});

describe("by config", () => {
  it("without registry: no pull secret, and the ServiceAccount still exists without one", async () => {
    const doc = loadStackDoc("staging");
    delete doc.config["agent-hive-platform:registry"];
    const plan = await planDoc("staging", doc);
    expect(resourcesOfType(plan, "kubernetes:core/v1:Secret").map((s) => inputs(s).metadata.name)).not.toContain("agent-hive-registry");
    const account = one(
      resourcesOfType(plan, "kubernetes:core/v1:ServiceAccount").filter((s) => inputs(s).metadata.name === "agent-hive-orchestrator"),
      "service's ServiceAccount",
    );
    expect(inputs(account)).not.toHaveProperty("imagePullSecrets");
  });

  it("without ingress: no Ingress, and the NetworkPolicies admit no ingress controller", async () => {
    const doc = loadStackDoc("staging");
    delete doc.config["agent-hive-platform:ingress"];
    delete (cfg(doc, "addons").certManager as Json).acme;
    const plan = await planDoc("staging", doc);
    expect(resourcesOfType(plan, "kubernetes:networking.k8s.io/v1:Ingress")).toEqual([]);
    const policies = resourcesOfType(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(policies.map((p) => inputs(p).metadata.name)).not.toContain("allow-acme-http01-solver");
    expect(JSON.stringify(policies.map((p) => p.inputs))).not.toContain("ingress-nginx");
  });

  it("admits only ingress.controllerNamespace, to the services and to the ACME solver", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "ingress").controllerNamespace = "edge";
    const policies = resourcesOfType(await planDoc("production", doc), "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const text = JSON.stringify(policies.map((p) => p.inputs));
    expect(text).not.toContain("ingress-nginx");
    for (const name of ["allow-ingress-and-monitoring", "allow-acme-http01-solver"]) {
      const policy = one(policies.filter((p) => inputs(p).metadata.name === name), name);
      expect(JSON.stringify(policy.inputs)).toContain('"kubernetes.io/metadata.name":"edge"');
    }
  });

  it("without cert-manager installed: no release and no ClusterIssuer; the Ingress names only an issuer the config names", async () => {
    const doc = loadStackDoc("staging");
    const certManager = cfg(doc, "addons").certManager as Json;
    certManager.install = false;
    // The cluster's cert-manager and issuer come from elsewhere: named explicitly, not defaulted from an acme block nothing creates.
    delete certManager.acme;
    const plan = await planDoc("staging", doc);
    expect(resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer")).toEqual([]);
    expect(resourcesOfType(plan, "kubernetes:helm.sh/v3:Release").map((r) => (r.inputs as { chart: string }).chart)).not.toContain("cert-manager");
    expect(inputs(one(resourcesOfType(plan, "kubernetes:networking.k8s.io/v1:Ingress"), "Ingress")).metadata.annotations ?? {}).toEqual({});
    ((cfg(doc, "ingress") as Json).tls as Json).clusterIssuer = "corporate-ca";
    const named = await planDoc("staging", doc);
    expect(inputs(one(resourcesOfType(named, "kubernetes:networking.k8s.io/v1:Ingress"), "Ingress")).metadata.annotations).toEqual({ "cert-manager.io/cluster-issuer": "corporate-ca" });
  });
});
