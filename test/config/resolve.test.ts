import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { PROJECT, prometheusAddress } from "../../infra/catalogue/names";
import { resolveSecrets } from "../../stacks/config/load";
import { parseStackConfig } from "../../stacks/config/parse";
import { REPOSITORY_SECRET_KEYS, SECRET_KEYS } from "../../stacks/config/secrets";
import { StackDoc, cfg, committedConfig, loadStackDoc, rawFromDoc } from "../support/stacks";

/**
 * Every default is resolved at the edge, once: what a key leaves out arrives
 * downstream already filled in, from the keys it derives from, so no slice
 * and no projection carries a fallback of its own.
 */

const k = (key: string) => `${PROJECT}:${key}`;
const parsed = (stack: string, edit: (d: StackDoc) => void) => {
  const doc = loadStackDoc(stack);
  edit(doc);
  return parseStackConfig(rawFromDoc(stack, doc));
};

describe("the resolved config", () => {
  it("routes the Ingress to the first service by default, else the named one, through its stable Service and port", () => {
    const addApi = (d: StackDoc) => {
      (d.config[k("services")] as Record<string, unknown>[]).push({ name: "api", image: "ghcr.io/leanvibe/agent-hive-api", tag: "2.0.0", port: 8081, replicas: 1 });
      (cfg(d, "namespace").quota as Record<string, unknown>).pods = 40;
    };
    const byDefault = parsed("staging", (d) => {
      addApi(d);
      delete cfg(d, "ingress").service;
    });
    expect(byDefault.ingress?.backend).toEqual({ service: "orchestrator", stableServiceName: "agent-hive-service", port: 8080 });
    const named = parsed("staging", (d) => {
      addApi(d);
      cfg(d, "ingress").service = "api";
    });
    expect(named.ingress?.backend).toEqual({ service: "api", stableServiceName: "agent-hive-api", port: 8081 });
  });

  it("takes the Ingress's cluster issuer from tls.clusterIssuer, else the ACME issuer's name, else none", () => {
    expect(committedConfig("production").ingress?.tls).toEqual({ secretName: "agent-hive-production-tls", clusterIssuer: "letsencrypt" });
    const tls = (d: StackDoc) => cfg(d, "ingress").tls as Record<string, unknown>;
    expect(parsed("production", (d) => (tls(d).clusterIssuer = "corporate-ca")).ingress?.tls.clusterIssuer).toBe("corporate-ca");
    const none = parsed("production", (d) => delete (cfg(d, "addons").certManager as Record<string, unknown>).acme);
    expect(none.ingress?.tls).toEqual({ secretName: "agent-hive-production-tls" });
  });

  it("derives the namespace and the cluster name from the environment", () => {
    const config = parsed("staging", (d) => {
      delete cfg(d, "namespace").name;
      delete cfg(d, "kubernetes").clusterName;
    });
    expect(config.namespace.name).toBe("agent-hive-staging");
    expect(config.kubernetes.clusterName).toBe("agent-hive-staging");
    expect(parsed("staging", (d) => (cfg(d, "kubernetes").clusterName = "edge-1")).kubernetes.clusterName).toBe("edge-1");
  });

  it("gives each service its pin, its resources (else the namespace's container defaults) and its stable Service name", () => {
    const config = parsed("staging", (d) => {
      const services = d.config[k("services")] as Record<string, unknown>[];
      services.push({ name: "api", image: "ghcr.io/leanvibe/agent-hive-api", digest: `sha256:${"b2".repeat(32)}`, tag: "2.0.0", port: 8081, replicas: 1 });
      (cfg(d, "namespace").quota as Record<string, unknown>).pods = 40;
    });
    const [orchestrator, api] = config.services;
    expect(orchestrator).toMatchObject({ pin: { tag: "1.0.0" }, stableServiceName: "agent-hive-service", resources: { request: { cpu: "100m", memory: "128Mi" }, limit: { cpu: "500m", memory: "512Mi" } } });
    expect(orchestrator).not.toHaveProperty("tag");
    expect(api).toMatchObject({ pin: { digest: `sha256:${"b2".repeat(32)}` }, stableServiceName: "agent-hive-api", healthPath: "/health" });
  });

  it("points the analysis at the add-on's Prometheus, in whatever namespace the add-on is", () => {
    expect(committedConfig("production").delivery.analysis.prometheusAddress).toBe(prometheusAddress("monitoring"));
    const moved = parsed("staging", (d) => {
      cfg(d, "addons").kubePrometheusStack = { install: true, namespace: "observability" };
    });
    expect(moved.delivery.analysis.prometheusAddress).toBe("http://kube-prometheus-stack-prometheus.observability.svc:9090");
  });

  it("ships the environment's own namespace unless the shipper lists its namespaces", () => {
    expect(parsed("staging", () => {}).addons.logShipper.namespaces).toEqual(["agent-hive-staging"]);
    expect(parsed("staging", (d) => (cfg(d, "namespace").name = "hive-stg")).addons.logShipper.namespaces).toEqual(["hive-stg"]);
    const listed = parsed("staging", (d) => ((cfg(d, "addons").logShipper as Record<string, unknown>).namespaces = ["agent-hive-staging", "agent-hive-qa"]));
    expect(listed.addons.logShipper.namespaces).toEqual(["agent-hive-staging", "agent-hive-qa"]);
  });

  it("leaves the log add-ons out, with Loki's defaults, where a stack file does not name them", () => {
    const config = parsed("staging", (d) => {
      const addons = cfg(d, "addons");
      delete addons.loki;
      delete addons.logShipper;
    });
    expect(config.addons.loki).toEqual({ install: false, namespace: "loki", retention: "744h", storageSize: "10Gi" });
    expect(config.addons.logShipper).toEqual({ install: false, namespace: "alloy", namespaces: ["agent-hive-staging"] });
  });

  it("lists the Slack destinations of the routing, each with its channel and severities", () => {
    expect(committedConfig("staging").observability.slack.destinations).toEqual([{ destination: "alerts", channel: "#agent-hive-staging-alerts", severities: ["critical", "warning", "info"] }]);
    expect(committedConfig("production").observability.slack.destinations).toEqual([
      { destination: "critical", channel: "#agent-hive-pager", severities: ["critical"] },
      { destination: "warning", channel: "#agent-hive-production-alerts", severities: ["warning", "info"] },
    ]);
  });
});

describe("the quality thresholds", () => {
  it("default to the guide's when the stack file sets none", () => {
    expect(parsed("staging", (d) => delete cfg(d, "github").quality).github.quality).toEqual({ coverageTarget: 95, snykSeverityThreshold: "high", benchmarkMaxRegressionPercent: 5 });
  });

  it("add each threshold's check that runs on pull requests into the deploy branch to the required checks, once", () => {
    const stated = ["Test Suite (3.12)", "Performance Tests"];
    expect(parsed("staging", (d) => (cfg(d, "github").requiredChecks = stated)).github.requiredChecks).toEqual(["Test Suite (3.12)", "Performance Tests", "codecov/project"]);
    // Security Analysis runs on pull requests into main only: required there, never on develop.
    expect(parsed("production", (d) => (cfg(d, "github").requiredChecks = stated)).github.requiredChecks).toEqual([
      "Test Suite (3.12)",
      "Performance Tests",
      "codecov/project",
      "Security Analysis",
    ]);
  });

  it("keep a weaker value: the policy pack, not the schema, judges it against the guide", () => {
    expect(parsed("staging", (d) => (cfg(d, "github").quality = { coverageTarget: 94, snykSeverityThreshold: "critical" })).github.quality).toMatchObject({ coverageTarget: 94, snykSeverityThreshold: "critical" });
  });
});

describe("the resolved secrets", () => {
  const read = (key: string) => pulumi.output(`value-of-${key}`);

  it("are the routing's webhooks by their Secret key, and the repository secrets only where the stack owns the repository settings", () => {
    const staging = resolveSecrets(committedConfig("staging"), read);
    expect(Object.keys(staging.slackWebhooks)).toEqual(["alerts-webhook-url"]);
    expect(staging.repositorySecrets).toBeUndefined();
    const production = resolveSecrets(committedConfig("production"), read);
    expect(Object.keys(production.slackWebhooks)).toEqual(["critical-webhook-url", "warning-webhook-url"]);
    expect(Object.keys(production.repositorySecrets ?? {}).sort()).toEqual(["CODECOV_TOKEN", "SLACK_WEBHOOK", "SNYK_TOKEN"]);
    // kubeconfig is the one optional secret: without it the provider uses the ambient KUBECONFIG.
    // The registry's password only where `registry` is set.
    expect(Object.keys(production).sort()).toEqual(["kubeconfig", "registryPassword", "repositorySecrets", "slackWebhooks"]);
    expect(Object.keys(resolveSecrets(committedConfig("staging"), (key) => (key === "kubeconfig" ? undefined : read(key)))).sort()).toEqual(["registryPassword", "slackWebhooks"]);
    const { registry: _registry, ...withoutRegistry } = committedConfig("staging");
    expect(Object.keys(resolveSecrets(withoutRegistry, read))).not.toContain("registryPassword");
  });

  it("map each repository secret to the secret key the one list of secret keys gives it", () => {
    expect(REPOSITORY_SECRET_KEYS).toEqual({ SLACK_WEBHOOK: "slackWebhookDeployments", SNYK_TOKEN: "snykToken", CODECOV_TOKEN: "codecovToken" });
    for (const [name, key] of Object.entries(REPOSITORY_SECRET_KEYS)) {
      expect(SECRET_KEYS.find((s) => s.key === key)).toMatchObject({ repositorySecret: name });
    }
  });
});
