import { Namespace } from "kubernetes-models/v1/Namespace";
import { describe, expect, it } from "vitest";
import { CERT_MANAGER_RELEASE, buildCertManagerNamespace, buildClusterIssuer, certManagerValues } from "../../../infra/addons/cert-manager/builders";
import { CHARTS } from "../../../infra/catalogue/versions";

describe("cert-manager add-on", () => {
  it("installs Jetstack's chart, pinned in the catalogue, under a fixed release name", () => {
    expect(CHARTS.certManager).toMatchObject({ chart: "cert-manager", repo: "https://charts.jetstack.io" });
    // Jetstack's chart versions carry the leading v of the release tag.
    expect(CHARTS.certManager.version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(CERT_MANAGER_RELEASE).toBe("cert-manager");
  });

  it("installs and keeps its CRDs, and elects its leader in its own namespace", () => {
    expect(certManagerValues("cert-manager")).toEqual({ crds: { enabled: true, keep: true }, global: { leaderElection: { namespace: "cert-manager" } } });
  });

  it("gets its own namespace under Pod Security restricted that passes the Kubernetes schema", () => {
    const ns = buildCertManagerNamespace("cert-manager");
    expect(ns.metadata?.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
    expect(() => new Namespace(ns).validate()).not.toThrow();
  });

  it("makes an ACME ClusterIssuer that answers HTTP-01 challenges through the Ingress's class", () => {
    const issuer = buildClusterIssuer({ issuerName: "letsencrypt", email: "platform@leanvibe.dev", server: "https://acme-v02.api.letsencrypt.org/directory", ingressClassName: "nginx" });
    expect(issuer.metadata.name).toBe("letsencrypt");
    expect(issuer.spec.acme).toEqual({
      email: "platform@leanvibe.dev",
      server: "https://acme-v02.api.letsencrypt.org/directory",
      privateKeySecretRef: { name: "letsencrypt-account-key" },
      solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
    });
  });
});
