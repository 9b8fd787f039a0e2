import { describe, expect, it } from "vitest";
import { PROJECT } from "../../infra/catalogue/names";
import { ConfigError, parseStackConfig } from "../../stacks/config/parse";
import { StackDoc, cfg, loadStackDoc, rawFromDoc } from "../support/stacks";

type Edit = (doc: StackDoc) => void;
const k = (key: string) => `${PROJECT}:${key}`;
const services = (doc: StackDoc) => doc.config[k("services")] as Record<string, unknown>[];
const slack = (doc: StackDoc) => cfg(doc, "observability").slack as Record<string, unknown>;
const addon = (doc: StackDoc, name: string) => cfg(doc, "addons")[name] as Record<string, unknown>;
const ingress = (doc: StackDoc) => cfg(doc, "ingress");
const acme = (doc: StackDoc) => (cfg(doc, "addons").certManager as { acme: Record<string, unknown> }).acme;
const steps = (doc: StackDoc) => (cfg(doc, "delivery").canary as { steps: Record<string, unknown>[] }).steps;

function problemsOf(edit: Edit, stack = "staging") {
  const doc = loadStackDoc(stack);
  edit(doc);
  try {
    parseStackConfig(rawFromDoc(stack, doc));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error("config was accepted");
}

// Each row breaks one thing and names the exact key the error must point at.
const cases: { name: string; edit: Edit; key: string; says: RegExp; stack?: string }[] = [
  { name: "negative replicas", edit: (d) => (services(d)[0].replicas = -1), key: "services[0].replicas", says: /at least 1/ },
  { name: "fractional replicas", edit: (d) => (services(d)[0].replicas = 1.5), key: "services[0].replicas", says: /whole number/ },
  { name: "replicas of the wrong type", edit: (d) => (services(d)[0].replicas = "three"), key: "services[0].replicas", says: /must be a number, not string/ },
  { name: "unknown top-level key", edit: (d) => (d.config[k("colour")] = "blue"), key: "colour", says: /unknown key; allowed here: addons, delivery/ },
  { name: "unknown nested key", edit: (d) => (cfg(d, "namespace").protected = true), key: "namespace.protected", says: /unknown key; allowed here: .*protect/ },
  { name: "invalid namespace name", edit: (d) => (cfg(d, "namespace").name = "Agent_Hive"), key: "namespace.name", says: /DNS-1123 label/ },
  { name: "namespace name too long", edit: (d) => (cfg(d, "namespace").name = "a".repeat(64)), key: "namespace.name", says: /at most 63/ },
  { name: "missing environment", edit: (d) => delete d.config[k("environment")], key: "environment", says: /is required/ },
  { name: "image tag latest", edit: (d) => (services(d)[0].tag = "latest"), key: "services[0].tag", says: /`latest` is not a pinned version/ },
  { name: "image tag that is a branch name", edit: (d) => (services(d)[0].tag = "develop"), key: "services[0].tag", says: /`develop` is not a pinned version: it moves with every build; set a release tag such as 1\.4\.2, or a digest/ },
  { name: "no tag and no digest", edit: (d) => delete services(d)[0].tag, key: "services[0].tag", says: /pinned tag .* or a digest/ },
  { name: "malformed digest", edit: (d) => (services(d)[0].digest = "sha256:xyz"), key: "services[0].digest", says: /64 lowercase hex/ },
  { name: "image with a tag inside", edit: (d) => (services(d)[0].image = "ghcr.io/leanvibe/agent-hive:1.0"), key: "services[0].image", says: /without tag or digest/ },
  { name: "port out of range", edit: (d) => (services(d)[0].port = 70000), key: "services[0].port", says: /1-65535/ },
  { name: "duplicate service names", edit: (d) => services(d).push({ ...services(d)[0] }), key: "services[1].name", says: /duplicate service name/ },
  { name: "quota is not a quantity", edit: (d) => ((cfg(d, "namespace").quota as Record<string, unknown>).limitsMemory = "32 gigs"), key: "namespace.quota.limitsMemory", says: /Kubernetes quantity/ },
  { name: "quota too small for the rollout", edit: (d) => ((cfg(d, "namespace").quota as Record<string, unknown>).pods = 3), key: "namespace.quota.pods", says: /at least 4/ },
  { name: "bad label value", edit: (d) => ((cfg(d, "namespace").labels as Record<string, unknown>).team = "platform team"), key: "namespace.labels.team", says: /label values/ },
  { name: "unknown strategy", edit: (d) => (cfg(d, "delivery").strategy = "rolling"), key: "delivery.strategy", says: /canary or blueGreen/ },
  { name: "canary weights not increasing", edit: (d) => steps(d).push({ setWeight: 40, pauseSeconds: 60 }), key: "delivery.canary.steps[1].setWeight", says: /strictly increase/ },
  { name: "production pause without duration", stack: "production", edit: (d) => steps(d).push({ setWeight: 90 }), key: "delivery.canary.steps[4].pauseSeconds", says: /forbids pauses without duration/ },
  { name: "latency threshold out of range", edit: (d) => (cfg(d, "slo").latencyP95Seconds = 120), key: "slo.latencyP95Seconds", says: /at most 60 seconds/ },
  { name: "alert severity unknown", edit: (d) => (((cfg(d, "observability").alerts as Record<string, Record<string, unknown>>).highErrorRate).severity = "page"), key: "observability.alerts.highErrorRate.severity", says: /critical, warning or info/ },
  { name: "alert for not a duration", edit: (d) => (((cfg(d, "observability").alerts as Record<string, Record<string, unknown>>).lowAgentCount).for = "a while"), key: "observability.alerts.lowAgentCount.for", says: /Prometheus duration/ },
  { name: "canary weight above 100", edit: (d) => (steps(d)[0].setWeight = 120), key: "delivery.canary.steps[0].setWeight", says: /1-100/ },
  { name: "slo error rate not positive", edit: (d) => (cfg(d, "slo").errorRatePerSecond = 0), key: "slo.errorRatePerSecond", says: /greater than 0/ },
  { name: "repository name GitHub rejects", edit: (d) => (cfg(d, "github").repository = "agent hive!"), key: "github.repository", says: /GitHub repository name/ },
  { name: "empty required check", edit: (d) => (cfg(d, "github").requiredChecks = ["Test Suite", " "]), key: "github.requiredChecks[1]", says: /must not be empty/ },
  { name: "duplicate required check", edit: (d) => (cfg(d, "github").requiredChecks = ["Test Suite", "Test Suite"]), key: "github.requiredChecks[1]", says: /duplicate check/ },
  { name: "coverage target above 100", edit: (d) => (cfg(d, "github").quality = { coverageTarget: 101 }), key: "github.quality.coverageTarget", says: /percentage above 0 and at most 100/ },
  { name: "coverage target as text", edit: (d) => (cfg(d, "github").quality = { coverageTarget: "95%" }), key: "github.quality.coverageTarget", says: /must be a number, not string/ },
  { name: "unknown Snyk severity", edit: (d) => (cfg(d, "github").quality = { snykSeverityThreshold: "severe" }), key: "github.quality.snykSeverityThreshold", says: /one of low, medium, high, critical/ },
  { name: "negative benchmark regression", edit: (d) => (cfg(d, "github").quality = { benchmarkMaxRegressionPercent: -1 }), key: "github.quality.benchmarkMaxRegressionPercent", says: /percentage 0-100/ },
  { name: "invalid deploy branch", edit: (d) => (cfg(d, "github").deployBranch = "feature..x"), key: "github.deployBranch", says: /valid git branch name/ },
  { name: "unknown deploy branch", edit: (d) => (cfg(d, "github").deployBranch = "release"), key: "github.deployBranch", says: /a branch the pipeline deploys from: develop, main/ },
  { name: "approval required but no reviewers", edit: (d) => (cfg(d, "github").requireDeploymentApproval = true), key: "github.reviewers", says: /names no reviewers/ },
  { name: "no approvals on a deploy branch", edit: (d) => (cfg(d, "github").requiredApprovals = 0), key: "github.requiredApprovals", says: /at least one approval/ },
  { name: "API server not https", edit: (d) => (cfg(d, "kubernetes").apiServer = "http://10.0.0.1:6443"), key: "kubernetes.apiServer", says: /https:\/\/ URL/ },
  { name: "blue-green without a measurement count", edit: (d) => (cfg(d, "delivery").strategy = "blueGreen"), key: "delivery.analysis.count", says: /never finishes/ },
  { name: "analysis interval not a duration", edit: (d) => ((cfg(d, "delivery").analysis as Record<string, unknown>).interval = "soon"), key: "delivery.analysis.interval", says: /duration/ },
  { name: "add-on install not a boolean", edit: (d) => ((cfg(d, "addons").argoRollouts as Record<string, unknown>).install = "yes"), key: "addons.argoRollouts.install", says: /must be a boolean/ },
  { name: "one channel for both severities", stack: "production", edit: (d) => (slack(d).channelWarning = slack(d).channelCritical), key: "observability.slack.channelWarning", says: /same channel as channelCritical.*routing: single/ },
  { name: "routing by severity without a warning channel", stack: "production", edit: (d) => delete slack(d).channelWarning, key: "observability.slack.channelWarning", says: /routing bySeverity needs the channels of both webhooks/ },
  { name: "routing single without its channel", edit: (d) => delete slack(d).channel, key: "observability.slack.channel", says: /routing single needs the channel/ },
  { name: "routing single with a severity channel", edit: (d) => (slack(d).channelCritical = "#pager"), key: "observability.slack.channelCritical", says: /only for routing bySeverity/ },
  { name: "unknown slack routing", edit: (d) => (slack(d).routing = "byTeam"), key: "observability.slack.routing", says: /bySeverity or single/ },
  { name: "notification timer not a duration", edit: (d) => (cfg(d, "observability").notifications = { groupWait: "soon" }), key: "observability.notifications.groupWait", says: /Prometheus duration/ },
  { name: "unknown alert", edit: (d) => ((cfg(d, "observability").alerts as Record<string, unknown>).diskFull = { for: "5m" }), key: "observability.alerts.diskFull", says: /unknown key; allowed here: highErrorRate, .*metricsAbsent/ },
  { name: "rate window not a duration", edit: (d) => (cfg(d, "slo").rateWindow = "five minutes"), key: "slo.rateWindow", says: /Prometheus duration/ },
  { name: "structured value that is not JSON", edit: (d) => (d.config[k("slo")] = "{not json"), key: "slo", says: /not valid structured config/ },
  // Rules a component used to check on its own spec; the config edge now owns them.
  {
    name: "an auto-promotion delay while auto-promotion is off",
    edit: (d) => {
      cfg(d, "delivery").strategy = "blueGreen";
      (cfg(d, "delivery").analysis as Record<string, unknown>).count = 3;
      cfg(d, "delivery").blueGreen = { autoPromotionEnabled: false, autoPromotionSeconds: 60 };
    },
    key: "delivery.blueGreen.autoPromotionSeconds",
    says: /no effect while autoPromotionEnabled is false: drop it or enable auto-promotion/,
  },
  { name: "unknown image owner", edit: (d) => (cfg(d, "delivery").imageOwner = "ops"), key: "delivery.imageOwner", says: /must be stack or pipeline/ },
  { name: "more approvals than GitHub allows", edit: (d) => (cfg(d, "github").requiredApprovals = 7), key: "github.requiredApprovals", says: /must be 1-6: GitHub allows at most 6/ },
  { name: "GitHub environment whose secret names GitHub refuses", edit: (d) => (cfg(d, "github").environment = "3rd-party"), key: "github.environment", says: /3RD_PARTY_API_KEY, and GitHub refuses 3RD_PARTY_API_KEY .*start the name with a letter/ },
  { name: "GitHub environment named after GitHub's own prefix", edit: (d) => (cfg(d, "github").environment = "github"), key: "github.environment", says: /GitHub refuses GITHUB_API_KEY/ },
  { name: "a reviewer listed twice", stack: "production", edit: (d) => (cfg(d, "github").reviewers = { teams: ["platform-leads", "platform-leads"] }), key: "github.reviewers.teams[1]", says: /duplicate team "platform-leads": list each once/ },
  {
    name: "more reviewers than GitHub allows",
    stack: "production",
    edit: (d) => (cfg(d, "github").reviewers = { users: ["a", "b", "c", "d"], teams: ["platform-leads", 2002, 2003] }),
    key: "github.reviewers",
    says: /names 7 users and teams; GitHub allows at most 6/,
  },
  {
    name: "security updates without vulnerability alerts",
    stack: "production",
    edit: (d) => (cfg(d, "github").security = { vulnerabilityAlerts: false, dependabotSecurityUpdates: true }),
    key: "github.security.dependabotSecurityUpdates",
    says: /needs github.security.vulnerabilityAlerts: true/,
  },
  {
    name: "a repository security setting on a stack that does not own repository settings",
    edit: (d) => (cfg(d, "github").security = { vulnerabilityAlerts: true }),
    key: "github.security.vulnerabilityAlerts",
    says: /managed only by the stack that owns repository settings/,
  },
  // The log add-ons.
  { name: "a log shipper without Loki", edit: (d) => (addon(d, "loki").install = false), key: "addons.logShipper.install", says: /ships logs to the Loki add-on, which this stack does not install.*set addons.loki.install: true/ },
  { name: "Loki retention shorter than a day", edit: (d) => (addon(d, "loki").retention = "12h"), key: "addons.loki.retention", says: /`12h` is not a whole number of days.*at least 24h/ },
  { name: "Loki retention of ragged days", edit: (d) => (addon(d, "loki").retention = "36h"), key: "addons.loki.retention", says: /`36h` is not a whole number of days/ },
  { name: "Loki retention not a duration", edit: (d) => (addon(d, "loki").retention = "a month"), key: "addons.loki.retention", says: /Prometheus duration/ },
  { name: "Loki volume not a quantity", edit: (d) => (addon(d, "loki").storageSize = "50 gigs"), key: "addons.loki.storageSize", says: /Kubernetes quantity/ },
  { name: "Loki in a system namespace", edit: (d) => (addon(d, "loki").namespace = "kube-system"), key: "addons.loki.namespace", says: /Kubernetes system namespace: the Loki add-on creates and owns its namespace/ },
  { name: "Loki sharing the monitoring namespace", edit: (d) => (addon(d, "loki").namespace = "monitoring"), key: "addons.loki.namespace", says: /is also addons.kubePrometheusStack.namespace/ },
  { name: "the shipper reading a namespace twice", edit: (d) => (addon(d, "logShipper").namespaces = ["agent-hive-staging", "agent-hive-staging"]), key: "addons.logShipper.namespaces[1]", says: /duplicate namespace "agent-hive-staging": list each once/ },
  { name: "the shipper reading no namespace", edit: (d) => (addon(d, "logShipper").namespaces = []), key: "addons.logShipper.namespaces", says: /at least one namespace/ },
  { name: "an unknown log add-on key", edit: (d) => (addon(d, "loki").retentionDays = 7), key: "addons.loki.retentionDays", says: /unknown key; allowed here: install, namespace, retention, storageSize/ },
  { name: "a CA that is not base64", edit: (d) => (cfg(d, "kubernetes").caData = "not base64!"), key: "kubernetes.caData", says: /must be base64/ },
  {
    name: "a CA that is base64 but not a PEM certificate",
    edit: (d) => (cfg(d, "kubernetes").caData = Buffer.from("just text").toString("base64")),
    key: "kubernetes.caData",
    says: /base64-encoded PEM certificate.*-----BEGIN CERTIFICATE-----/,
  },
  // The public endpoint, cert-manager and the private registry.
  { name: "an ingress host with a scheme", edit: (d) => (ingress(d).host = "https://staging.agent-hive.com"), key: "ingress.host", says: /must be a DNS name such as staging\.agent-hive\.com.*no scheme/ },
  { name: "a wildcard ingress host", edit: (d) => (ingress(d).host = "*.agent-hive.com"), key: "ingress.host", says: /no wildcard/ },
  { name: "an ingress host that is not fully qualified", edit: (d) => (ingress(d).host = "staging"), key: "ingress.host", says: /fully qualified DNS name/ },
  { name: "an ingress host label longer than DNS allows", edit: (d) => (ingress(d).host = `${"a".repeat(64)}.agent-hive.com`), key: "ingress.host", says: /at most 63 characters/ },
  { name: "an ingress routed to a service the stack does not have", edit: (d) => (ingress(d).service = "gateway"), key: "ingress.service", says: /is not a service of this stack; the Ingress can route to: orchestrator/ },
  { name: "an ingress without TLS", edit: (d) => delete ingress(d).tls, key: "ingress.tls", says: /is required/ },
  { name: "an ingress TLS Secret name Kubernetes refuses", edit: (d) => ((ingress(d).tls as Record<string, unknown>).secretName = "Staging_TLS"), key: "ingress.tls.secretName", says: /DNS-1123 subdomain/ },
  {
    name: "the cluster issuer set as an annotation too",
    edit: (d) => (ingress(d).annotations = { "cert-manager.io/cluster-issuer": "other" }),
    key: "ingress.annotations.cert-manager.io/cluster-issuer",
    says: /names the cluster issuer a second time: set ingress\.tls\.clusterIssuer instead/,
  },
  { name: "an ACME issuer without an ingress to answer its challenges", edit: (d) => delete d.config[k("ingress")], key: "addons.certManager.acme", says: /HTTP-01 challenges through the ingress class of ingress\.className.*set ingress, or remove addons\.certManager\.acme/ },
  {
    name: "an ACME issuer the stack does not install",
    edit: (d) => ((cfg(d, "addons").certManager as Record<string, unknown>).install = false),
    key: "addons.certManager.acme",
    says: /is created only with the cert-manager add-on, and addons\.certManager\.install is not true.*Set addons\.certManager\.install: true, or remove addons\.certManager\.acme/,
  },
  {
    name: "an annotation that turns the HTTPS redirect off",
    edit: (d) => (ingress(d).annotations = { "nginx.ingress.kubernetes.io/ssl-redirect": "false" }),
    key: "ingress.annotations.nginx.ingress.kubernetes.io/ssl-redirect",
    says: /turns ingress-nginx's HTTP-to-HTTPS redirect off.*plain HTTP too: remove it/,
  },
  { name: "an ACME email that is not one", edit: (d) => (acme(d).email = "platform team"), key: "addons.certManager.acme.email", says: /must be an email address/ },
  { name: "an ACME server that is not https", edit: (d) => (acme(d).server = "http://acme.example/directory"), key: "addons.certManager.acme.server", says: /https:\/\/ URL of an ACME directory/ },
  { name: "a registry no service's image comes from", edit: (d) => (cfg(d, "registry").server = "registry.example.com"), key: "registry.server", says: /is not the registry of any service's image \(ghcr\.io\).*never use the pull secret/ },
  { name: "a registry given as a URL", edit: (d) => (cfg(d, "registry").server = "https://ghcr.io"), key: "registry.server", says: /registry host as images name it.*no scheme/ },
  { name: "a registry without a user", edit: (d) => (cfg(d, "registry").username = ""), key: "registry.username", says: /must not be empty/ },
  { name: "a service whose ServiceAccount would be the deployer's", edit: (d) => (services(d)[0].name = "deployer"), key: "services[0].name", says: /generates ServiceAccount "agent-hive-deployer".*the pods would run as the deployer/ },
  {
    name: "the retired list of ingress namespaces",
    edit: (d) => ((cfg(d, "namespace").network as Record<string, unknown>).ingressNamespaces = ["ingress-nginx"]),
    key: "namespace.network.ingressNamespaces",
    says: /was replaced by ingress\.controllerNamespace/,
  },
];

describe("invalid stack config", () => {
  it.each(cases)("$name is reported at $key", ({ edit, key, says, stack }) => {
    const problems = problemsOf(edit, stack);
    const hit = problems.find((p) => p.key === `${PROJECT}:${key}`);
    expect(hit, `problems were: ${problems.map((p) => p.key).join(", ")}`).toBeDefined();
    expect(hit?.problem).toMatch(says);
  });

  it("reports every problem at once, each with key, value and fix", () => {
    const problems = problemsOf((d) => {
      services(d)[0].replicas = -1;
      d.config[k("colour")] = "blue";
      cfg(d, "namespace").name = "Agent_Hive";
      services(d)[0].port = "http";
      steps(d)[0].setWeight = 0;
    });
    expect(problems.map((p) => p.key).sort()).toEqual(
      ["colour", "delivery.canary.steps[0].setWeight", "namespace.name", "services[0].port", "services[0].replicas"].map((x) => `${PROJECT}:${x}`),
    );
    const replicas = problems.find((p) => p.key.endsWith("replicas"));
    expect(replicas?.value).toBe("-1");
  });

  it("names the stack file and the fix in the message", () => {
    const doc = loadStackDoc("production");
    cfg(doc, "namespace").name = "Prod!";
    expect(() => parseStackConfig(rawFromDoc("production", doc))).toThrow(
      /Pulumi\.production\.yaml has 1 config problem; nothing was registered:\n {2}- agent-hive-platform:namespace\.name = "Prod!": .*\nFix the keys above/,
    );
  });

  it("refuses a secret key stored in plain text without printing its value", () => {
    const doc = loadStackDoc("staging");
    doc.config[k("kubeconfig")] = "apiVersion: v1 # SENTINEL-PLAINTEXT-KUBECONFIG";
    try {
      parseStackConfig(rawFromDoc("staging", doc));
      throw new Error("accepted");
    } catch (e) {
      const err = e as ConfigError;
      expect(err.problems).toEqual([
        expect.objectContaining({ key: k("kubeconfig"), value: "(secret, not shown)", problem: expect.stringMatching(/pulumi config set --secret kubeconfig/) }),
      ]);
      expect(err.message).not.toContain("SENTINEL-PLAINTEXT-KUBECONFIG");
    }
  });

  it("never prints the value of a key that was set as a secret", () => {
    const raw = rawFromDoc("staging", loadStackDoc("staging"));
    const values = { ...raw.values, [k("slo")]: "{ SENTINEL-SECRET-SLO" };
    try {
      parseStackConfig({ ...raw, values, secretKeys: new Set([...raw.secretKeys, k("slo")]) });
      throw new Error("accepted");
    } catch (e) {
      expect((e as ConfigError).message).toContain(`${k("slo")} = (secret, not shown)`);
      expect((e as ConfigError).message).not.toContain("SENTINEL-SECRET-SLO");
    }
  });

  it("ignores other packages' config keys", () => {
    const doc = loadStackDoc("staging");
    doc.config["kubernetes:context"] = "whatever";
    expect(parseStackConfig(rawFromDoc("staging", doc)).environment).toBe("staging");
  });
});

describe("secrets a real run needs", () => {
  const withoutSecrets = (stack: string) => {
    const raw = rawFromDoc(stack, loadStackDoc(stack));
    // What a stack looks like before `pulumi config set --secret`: no secret keys at all.
    const values = Object.fromEntries(Object.entries(raw.values).filter(([key]) => !raw.secretKeys.has(key)));
    return { ...raw, values, secretKeys: new Set<string>() };
  };

  it("asks for the webhook of each Slack destination the routing uses", () => {
    expect(() => parseStackConfig(withoutSecrets("staging"))).toThrow(
      /agent-hive-platform:slackWebhookAlerts = \(not set\): is required for the slack-alerts receiver .*pulumi config set --secret slackWebhookAlerts/,
    );
    expect(() => parseStackConfig(withoutSecrets("production"))).toThrow(/agent-hive-platform:slackWebhookWarning = \(not set\): is required for the slack-warning receiver/);
  });

  it("asks for the repository secrets only where the stack owns repository settings, and the registry's password only where registry is set", () => {
    const keys = (stack: string) => {
      try {
        parseStackConfig(withoutSecrets(stack));
        return [];
      } catch (e) {
        return (e as ConfigError).problems.map((p) => p.key);
      }
    };
    expect(keys("staging")).toEqual([k("slackWebhookAlerts"), k("registryPassword")]);
    const raw = withoutSecrets("staging");
    const values = Object.fromEntries(Object.entries(raw.values).filter(([key]) => key !== k("registry")));
    expect(() => parseStackConfig({ ...raw, values })).toThrow(/^(?![\s\S]*registryPassword)[\s\S]*slackWebhookAlerts/);
    expect(keys("production").sort()).toEqual([k("codecovToken"), k("registryPassword"), k("slackWebhookCritical"), k("slackWebhookDeployments"), k("slackWebhookWarning"), k("snykToken")]);
  });
});

describe("Slack destinations that could collapse into one", () => {
  const WEBHOOK = "https://hooks.slack.com/services/T0/B0/SENTINEL-WEBHOOK-7f3a";
  const withSecrets = (stack: string, secrets: Record<string, string>, edit: Edit = () => {}) => {
    const doc = loadStackDoc(stack);
    edit(doc);
    const raw = rawFromDoc(stack, doc);
    const values = { ...raw.values, ...Object.fromEntries(Object.entries(secrets).map(([key, v]) => [k(key), v])) };
    return { ...raw, values, secretKeys: new Set([...raw.secretKeys, ...Object.keys(secrets).map(k)]) };
  };
  const problems = (raw: ReturnType<typeof withSecrets>) => {
    try {
      parseStackConfig(raw);
      return [];
    } catch (e) {
      expect((e as ConfigError).message).not.toContain("SENTINEL-WEBHOOK");
      return (e as ConfigError).problems;
    }
  };

  it("refuses the same webhook for critical and warning alerts, without showing it", () => {
    const found = problems(withSecrets("production", { slackWebhookCritical: WEBHOOK, slackWebhookWarning: WEBHOOK }));
    expect(found).toEqual([
      expect.objectContaining({ key: k("slackWebhookWarning"), value: "(secret, not shown)", problem: expect.stringMatching(/same webhook as slackWebhookCritical.*routing: single/) }),
    ]);
  });

  it("refuses #deployments on an alert webhook", () => {
    const found = problems(withSecrets("production", { slackWebhookCritical: `${WEBHOOK}-a`, slackWebhookWarning: `${WEBHOOK}-b`, slackWebhookDeployments: `${WEBHOOK}-a` }));
    expect(found.map((p) => [p.key, p.problem])).toEqual([[k("slackWebhookDeployments"), expect.stringMatching(/same webhook as slackWebhookCritical/)]]);
  });

  it("accepts two distinct webhooks, and one webhook where routing single says so", () => {
    expect(problems(withSecrets("production", { slackWebhookCritical: `${WEBHOOK}-a`, slackWebhookWarning: `${WEBHOOK}-b`, slackWebhookDeployments: `${WEBHOOK}-c` }))).toEqual([]);
    expect(problems(withSecrets("staging", { slackWebhookAlerts: WEBHOOK }))).toEqual([]);
  });

  it("explains the retired slackWebhook key without showing its value", () => {
    const found = problems(withSecrets("staging", { slackWebhook: WEBHOOK }));
    expect(found).toEqual([expect.objectContaining({ key: k("slackWebhook"), value: "(secret, not shown)", problem: expect.stringMatching(/was split.*slackWebhookCritical/) })]);
  });
});
