import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT } from "../../infra/catalogue/names";
import { ConfigError, ConfigProblem, RawStackConfig, parseStackConfig } from "../../stacks/config/parse";
import { StackFileError, readStackFile } from "../../stacks/offline/stack-file";
import { StackDoc, cfg, loadStackDoc, rawFromDoc } from "../support/stacks";

/**
 * Configs a red team wrote to get past the parser: values Kubernetes or
 * GitHub would refuse, names that collide, system namespaces, empty values,
 * prototype keys and secrets that could be echoed. Each row names the exact
 * key the error must point at; rows with a sentinel also prove the sentinel
 * (a stand-in for a credential) appears nowhere in the error.
 */

type Edit = (doc: StackDoc) => void;
type Row = {
  name: string;
  edit: Edit;
  key: string;
  says: RegExp;
  stack?: string;
  /** Set with `--secret` (in plain text here, passed as secret keys). */
  secrets?: Record<string, string>;
  /** Must appear nowhere in the error: its problems, values or message. */
  sentinel?: string;
  /** The value the problem must show, when it must show one. */
  shows?: string;
};

const k = (key: string) => `${PROJECT}:${key}`;
const services = (d: StackDoc) => d.config[k("services")] as Record<string, unknown>[];
const ns = (d: StackDoc) => cfg(d, "namespace");
const quota = (d: StackDoc) => ns(d).quota as Record<string, unknown>;
const defaults = (d: StackDoc, part: "request" | "limit" | "max") => (ns(d).containerDefaults as Record<string, Record<string, unknown>>)[part];
const addon = (d: StackDoc, name: string) => cfg(d, "addons")[name] as Record<string, unknown>;
const extraService = (d: StackDoc, fields: Record<string, unknown>) => services(d).push({ image: "ghcr.io/leanvibe/agent-hive", tag: "1.0.0", port: 8080, replicas: 1, ...fields });
const jsonWith = (text: string) => JSON.parse(text) as Record<string, unknown>;

const SENTINEL_URL = "https://hooks.slack.com/services/T000/B000/SENTINEL-HOSTILE-URL";
const SENTINEL_TOKEN = "ghp_SENTINEL0hostile0token0123456789";

const rows: Row[] = [
  // Values the Kubernetes API would refuse.
  { name: "replicas beyond int32", edit: (d) => (services(d)[0].replicas = 2147483648), key: "services[0].replicas", says: /beyond 2147483647, the largest int32/, shows: "2147483648" },
  { name: "replicas far beyond the safe integers", edit: (d) => (services(d)[0].replicas = 1e20), key: "services[0].replicas", says: /largest int32/ },
  { name: "replicas above the realistic cap", edit: (d) => (services(d)[0].replicas = 5000), key: "services[0].replicas", says: /at most 1000/, shows: "5000" },
  { name: "quota pods beyond int32", edit: (d) => (quota(d).pods = 2147483648), key: "namespace.quota.pods", says: /largest int32/ },
  { name: "quota services beyond int32", edit: (d) => (quota(d).services = 4294967296), key: "namespace.quota.services", says: /largest int32/ },
  { name: "quota volume claims beyond int32", edit: (d) => (quota(d).persistentVolumeClaims = 2 ** 31), key: "namespace.quota.persistentVolumeClaims", says: /largest int32/ },
  { name: "analysis failure limit beyond int32", edit: (d) => ((cfg(d, "delivery").analysis as Record<string, unknown>).failureLimit = 2 ** 32), key: "delivery.analysis.failureLimit", says: /largest int32/ },
  { name: "canary pause beyond int32", edit: (d) => ((cfg(d, "delivery").canary as { steps: Record<string, unknown>[] }).steps[0].pauseSeconds = 2 ** 31), key: "delivery.canary.steps[0].pauseSeconds", says: /largest int32/ },
  { name: "quantity beyond what Kubernetes stores", edit: (d) => (quota(d).limitsCpu = "1e30"), key: "namespace.quota.limitsCpu", says: /silently cap/ },
  { name: "LimitRange default limit above max", edit: (d) => (defaults(d, "limit").cpu = "3"), key: "namespace.containerDefaults.limit.cpu", says: /above max\.cpu \(2\).*refuses/, shows: '"3"' },
  { name: "LimitRange default limit above max, other units", edit: (d) => (defaults(d, "limit").memory = "5000Mi"), key: "namespace.containerDefaults.limit.memory", says: /above max\.memory \(4Gi\)/ },
  { name: "LimitRange default limit a hair above max", edit: (d) => (defaults(d, "limit").cpu = "2.0000001"), key: "namespace.containerDefaults.limit.cpu", says: /above max\.cpu/ },
  { name: "LimitRange default request above default limit", edit: (d) => (defaults(d, "request").cpu = "600m"), key: "namespace.containerDefaults.request.cpu", says: /above limit\.cpu \(500m\)/ },
  { name: "LimitRange default request above limit, exponent form", edit: (d) => (defaults(d, "request").memory = "1e9"), key: "namespace.containerDefaults.request.memory", says: /above limit\.memory \(512Mi\)/ },
  {
    name: "service request above its limit",
    edit: (d) => (services(d)[0].resources = { request: { cpu: "1", memory: "256Mi" }, limit: { cpu: "500m", memory: "512Mi" } }),
    key: "services[0].resources.request.cpu",
    says: /above resources\.limit\.cpu \(500m\).*request exceeds its limit/,
  },
  {
    name: "service request above the namespace max",
    edit: (d) => (services(d)[0].resources = { request: { cpu: "3", memory: "256Mi" }, limit: { cpu: "3", memory: "512Mi" } }),
    key: "services[0].resources.request.cpu",
    says: /LimitRange max \(namespace\.containerDefaults\.max\.cpu = 2\)/,
  },
  {
    name: "service limit above the namespace max",
    edit: (d) => (services(d)[0].resources = { request: { cpu: "1", memory: "1Gi" }, limit: { cpu: "1", memory: "8Gi" } }),
    key: "services[0].resources.limit.memory",
    says: /LimitRange max \(namespace\.containerDefaults\.max\.memory = 4Gi\)/,
  },
  { name: "quota too small for a rollout's memory requests", stack: "production", edit: (d) => (quota(d).requestsMemory = "4Gi"), key: "namespace.quota.requestsMemory", says: /at least 5Gi: twice each service's replicas/ },
  { name: "quota too small for a rollout's CPU limits", stack: "production", edit: (d) => (quota(d).limitsCpu = "19"), key: "namespace.quota.limitsCpu", says: /at least 20:/ },

  // Names that collide across the stack.
  { name: "a service whose clients' Service is another's canary Service", edit: (d) => extraService(d, { name: "orchestrator-canary" }), key: "services[1].name", says: /Service "agent-hive-orchestrator-canary".*services\[0\] \(orchestrator\)'s canary Service/ },
  { name: "a service whose canary Service is another's clients' Service", edit: (d) => (services(d).unshift({ ...services(d)[0], name: "api", stableServiceName: "agent-hive-orchestrator-stable" })), key: "services[1].name", says: /Service "agent-hive-orchestrator-stable".*services\[0\] \(api\)'s clients' Service/ },
  { name: "a stableServiceName that is another service's stable Service", edit: (d) => extraService(d, { name: "api", stableServiceName: "agent-hive-orchestrator-stable" }), key: "services[1].stableServiceName", says: /already services\[0\] \(orchestrator\)'s stable Service/ },
  { name: "two services with one stableServiceName", edit: (d) => extraService(d, { name: "api", stableServiceName: "agent-hive-service" }), key: "services[1].stableServiceName", says: /Service "agent-hive-service".*clients' Service/ },
  { name: "a stableServiceName that is the service's own preview Service", edit: (d) => (services(d)[0].stableServiceName = "agent-hive-orchestrator-preview"), key: "services[0].stableServiceName", says: /also this service.s own preview Service/ },
  { name: "environment namespace is the monitoring add-on's", edit: (d) => (ns(d).name = "monitoring"), key: "namespace.name", says: /kube-prometheus-stack add-on's namespace.*default-deny/ },
  { name: "environment namespace is Argo Rollouts'", edit: (d) => (ns(d).name = "argo-rollouts"), key: "namespace.name", says: /Argo Rollouts add-on's namespace/ },
  { name: "environment namespace is an add-on's default namespace", edit: (d) => { delete cfg(d, "addons").pushgateway; ns(d).name = "pushgateway"; }, key: "namespace.name", says: /Pushgateway add-on's namespace \(addons\.pushgateway\.namespace, by default\)/ },
  { name: "an add-on moved into the environment namespace", edit: (d) => (addon(d, "argoRollouts").namespace = "agent-hive-staging"), key: "namespace.name", says: /Argo Rollouts add-on's namespace/ },
  { name: "two add-ons in one namespace", edit: (d) => (addon(d, "argoRollouts").namespace = "monitoring"), key: "addons.argoRollouts.namespace", says: /also addons\.kubePrometheusStack\.namespace \(monitoring\)/ },
  { name: "the Pushgateway in the monitoring namespace", edit: (d) => (addon(d, "pushgateway").namespace = "monitoring"), key: "addons.pushgateway.namespace", says: /Pushgateway's must hold nothing else/ },

  // System namespaces.
  { name: "kube-system as the environment namespace", edit: (d) => (ns(d).name = "kube-system"), key: "namespace.name", says: /system namespace.*default-deny NetworkPolicies.*cluster DNS/, shows: '"kube-system"' },
  { name: "default as the environment namespace", edit: (d) => (ns(d).name = "default"), key: "namespace.name", says: /system namespace/ },
  { name: "kube-public as the environment namespace", edit: (d) => (ns(d).name = "kube-public"), key: "namespace.name", says: /system namespace/ },
  { name: "kube-node-lease as the environment namespace", edit: (d) => (ns(d).name = "kube-node-lease"), key: "namespace.name", says: /system namespace/ },
  { name: "any kube-* as the environment namespace", edit: (d) => (ns(d).name = "kube-flannel"), key: "namespace.name", says: /system namespace/ },
  { name: "an add-on installed into kube-system", edit: (d) => (addon(d, "argoRollouts").namespace = "kube-system"), key: "addons.argoRollouts.namespace", says: /system namespace.*destroy would delete it/ },

  // Empty values.
  { name: "empty environment (YAML null)", edit: (d) => (d.config[k("environment")] = null), key: "environment", says: /^is empty/, shows: "(empty)" },
  { name: "empty environment string", edit: (d) => (d.config[k("environment")] = ""), key: "environment", says: /^is empty/ },
  { name: "empty namespace name", edit: (d) => (ns(d).name = ""), key: "namespace.name", says: /^is empty/ },
  { name: "empty service name", edit: (d) => (services(d)[0].name = ""), key: "services[0].name", says: /^is empty/ },
  { name: "null service image", edit: (d) => (services(d)[0].image = null), key: "services[0].image", says: /^is empty: set a string or remove the key/ },
  { name: "empty GitHub environment", edit: (d) => (cfg(d, "github").environment = ""), key: "github.environment", says: /^is empty/ },
  { name: "GitHub environment with a trailing space", edit: (d) => (cfg(d, "github").environment = "staging "), key: "github.environment", says: /start or end with spaces/ },
  { name: "a whole section empty", edit: (d) => (d.config[k("namespace")] = null), key: "namespace", says: /^is empty: set an object/ },

  // Prototype keys.
  { name: "__proto__ at the top level", edit: (d) => (d.config[k("__proto__")] = { environment: "staging" }), key: "__proto__", says: /__proto__, constructor and prototype are refused/ },
  { name: "constructor at the top level", edit: (d) => (d.config[k("constructor")] = { a: 1 }), key: "constructor", says: /refused anywhere/ },
  { name: "prototype at the top level", edit: (d) => (d.config[k("prototype")] = "x"), key: "prototype", says: /refused anywhere/ },
  { name: "__proto__ in the namespace labels", edit: (d) => (ns(d).labels = jsonWith('{"team":"platform","__proto__":{"evil":"1"}}')), key: "namespace.labels.__proto__", says: /refused anywhere/ },
  { name: "constructor as a label", edit: (d) => (ns(d).labels = { team: "platform", constructor: "x" }), key: "namespace.labels.constructor", says: /refused anywhere/ },
  { name: "__proto__ in a service", edit: (d) => (services(d)[0] = jsonWith(`{"__proto__":{"replicas":1},${JSON.stringify(services(d)[0]).slice(1)}`)), key: "services[0].__proto__", says: /refused anywhere/ },
  { name: "__proto__ set as a secret", edit: () => {}, secrets: { ["__proto__"]: SENTINEL_TOKEN }, key: "__proto__", says: /refused anywhere/, sentinel: SENTINEL_TOKEN, shows: "(secret, not shown)" },

  // Secrets never echoed.
  { name: "plain-text secret", edit: (d) => (d.config[k("slackWebhookAlerts")] = SENTINEL_URL), key: "slackWebhookAlerts", says: /plain text.*--secret slackWebhookAlerts/, sentinel: SENTINEL_URL },
  { name: "plain-text kubeconfig", edit: (d) => (d.config[k("kubeconfig")] = `apiVersion: v1\ntoken: ${SENTINEL_TOKEN}`), key: "kubeconfig", says: /plain text/, sentinel: SENTINEL_TOKEN },
  { name: "misspelt secret key in plain text", stack: "production", edit: (d) => (d.config[k("slackWebhookCritcal")] = SENTINEL_URL), key: "slackWebhookCritcal", says: /unknown key.*Did you mean the secret key slackWebhookCritical\?.*rotate it/, sentinel: SENTINEL_URL },
  { name: "misspelt secret key set with --secret", edit: () => {}, secrets: { slackWebhookAlert: SENTINEL_URL }, key: "slackWebhookAlert", says: /unknown key.*Did you mean the secret key slackWebhookAlerts\?/, sentinel: SENTINEL_URL, shows: "(secret, not shown)" },
  { name: "misspelt token key, value like a token", edit: (d) => (d.config[k("snykTokn")] = SENTINEL_TOKEN), key: "snykTokn", says: /Did you mean the secret key snykToken/, sentinel: SENTINEL_TOKEN },
  { name: "plain-text registry password", edit: (d) => (d.config[k("registryPassword")] = SENTINEL_TOKEN), key: "registryPassword", says: /plain text.*pulumi config set --secret registryPassword/, sentinel: SENTINEL_TOKEN },
  { name: "registry password inside the plain registry block", edit: (d) => (cfg(d, "registry").password = SENTINEL_TOKEN), key: "registry.password", says: /unknown key; allowed here: server, username/, sentinel: SENTINEL_TOKEN },
  { name: "unknown key with a token-like value", edit: (d) => (d.config[k("deployKey")] = SENTINEL_TOKEN), key: "deployKey", says: /^unknown key/, sentinel: SENTINEL_TOKEN },
  { name: "nested unknown key holding a webhook", edit: (d) => ((cfg(d, "observability").slack as Record<string, unknown>).webhook = SENTINEL_URL), key: "observability.slack.webhook", says: /^unknown key/, sentinel: SENTINEL_URL },
  { name: "a plain key set with --secret and a bad value", edit: (d) => delete d.config[k("environment")], secrets: { environment: `Bad ${SENTINEL_TOKEN}` }, key: "environment", says: /DNS-1123/, sentinel: SENTINEL_TOKEN, shows: "(secret, not shown)" },
  { name: "the retired secret key", edit: () => {}, secrets: { slackWebhook: SENTINEL_URL }, key: "slackWebhook", says: /was split/, sentinel: SENTINEL_URL },
];

function problemsOf(row: Row): { problems: readonly ConfigProblem[]; message: string } {
  const stack = row.stack ?? "staging";
  const doc = loadStackDoc(stack);
  row.edit(doc);
  const raw = rawFromDoc(stack, doc);
  const secrets = row.secrets ?? {};
  const withSecrets: RawStackConfig = {
    ...raw,
    values: { ...raw.values, ...Object.fromEntries(Object.entries(secrets).map(([key, v]) => [k(key), v])) },
    secretKeys: new Set([...raw.secretKeys, ...Object.keys(secrets).map(k)]),
  };
  try {
    parseStackConfig(withSecrets);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return { problems: (e as ConfigError).problems, message: (e as ConfigError).message };
  }
  throw new Error("the hostile config was accepted");
}

describe("hostile stack configs", () => {
  it.each(rows)("$name is refused at $key", (row) => {
    const { problems, message } = problemsOf(row);
    const hit = problems.find((p) => p.key === k(row.key) && row.says.test(p.problem));
    expect(hit, `problems were:\n${problems.map((p) => `${p.key} = ${p.value}: ${p.problem}`).join("\n")}`).toBeDefined();
    if (row.shows !== undefined) expect(hit?.value).toBe(row.shows);
    if (row.sentinel !== undefined) {
      expect(message).not.toContain(row.sentinel);
      expect(JSON.stringify(problems)).not.toContain(row.sentinel);
      // Nor any recognisable part of it.
      expect(message).not.toContain("SENTINEL");
    }
  });

  it("has at least 40 rows, over at least 30 distinct keys", () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.map((r) => r.key)).size).toBeGreaterThanOrEqual(30);
  });

  it("every row is refused for its own reason: the committed stacks are accepted", () => {
    for (const stack of ["staging", "production"]) expect(() => parseStackConfig(rawFromDoc(stack, loadStackDoc(stack)))).not.toThrow();
  });
});

describe("prototype keys never supply config", () => {
  it("an environment given only under __proto__ is still missing", () => {
    const { problems } = problemsOf({
      name: "",
      key: "",
      says: /./,
      edit: (d) => {
        d.config[k("__proto__")] = { environment: "staging" };
        delete d.config[k("environment")];
      },
    });
    expect(problems.map((p) => p.key)).toEqual(expect.arrayContaining([k("__proto__"), k("environment")]));
    expect(problems.find((p) => p.key === k("environment"))?.problem).toMatch(/is required/);
  });

  it("a reviewer given only under github.reviewers.__proto__ is not a reviewer", () => {
    const { problems } = problemsOf({
      name: "",
      key: "",
      says: /./,
      edit: (d) => {
        cfg(d, "github").requireDeploymentApproval = true;
        cfg(d, "github").reviewers = jsonWith('{"__proto__":{"users":["mallory"]}}');
      },
    });
    expect(problems.map((p) => p.key).sort()).toEqual([k("github.reviewers"), k("github.reviewers.__proto__")]);
  });

  it("the parsed config is made of plain objects with no prototype keys", () => {
    const config = parseStackConfig(rawFromDoc("production", loadStackDoc("production")));
    const walk = (v: unknown) => {
      if (typeof v !== "object" || v === null) return;
      if (!Array.isArray(v)) expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      for (const [key, e] of Object.entries(v)) {
        expect(["__proto__", "constructor", "prototype"]).not.toContain(key);
        walk(e);
      }
    };
    walk(config);
  });
});

describe("the stack file itself", () => {
  const withFile = <T>(stack: string, text: string, f: (dir: string) => T): T => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-hostile-"));
    try {
      fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
      return f(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const yamlError = (text: string): StackFileError =>
    withFile("staging", text, (dir) => {
      try {
        readStackFile(dir, "staging");
      } catch (e) {
        expect(e).toBeInstanceOf(StackFileError);
        return e as StackFileError;
      }
      throw new Error("the file was read");
    });

  it.each([
    ["an unclosed quote around a pasted webhook", `config:\n  agent-hive-platform:environment: staging\n  agent-hive-platform:slackWebhookAlerts: "${SENTINEL_URL}\n`, 4, /Missing closing/],
    ["a pasted token that breaks the indentation", `config:\n  agent-hive-platform:environment: staging\n  agent-hive-platform:snykToken: a\n   b: ${SENTINEL_TOKEN}\n`, 3, /Nested mappings|Implicit keys/],
    ["a duplicate key holding a token", `config:\n  agent-hive-platform:snykToken: one\n  agent-hive-platform:snykToken: ${SENTINEL_TOKEN}\n`, 3, /Map keys must be unique/],
    ["an unknown tag on a secret", `config:\n  agent-hive-platform:snykToken: !token ${SENTINEL_TOKEN}\n`, 2, /^Unresolved tag$/],
  ])("%s is reported by line and column, never by content", (_name, text, line, says) => {
    const e = yamlError(text);
    expect(e.message).not.toContain("SENTINEL");
    expect(e.message).toMatch(/value|content is withheld/);
    expect(e.errors[0].line).toBe(line);
    expect(e.errors.some((x) => says.test(x.problem))).toBe(true);
    expect(e.message).toMatch(new RegExp(`line ${line}, column \\d+`));
  });

  it("names the config key around the error", () => {
    const e = yamlError(`config:\n  agent-hive-platform:environment: staging\n  agent-hive-platform:slackWebhookAlerts: "${SENTINEL_URL}\n`);
    expect(e.message).toContain("(in agent-hive-platform:slackWebhookAlerts)");
  });

  it("reads an empty value as empty, never as the text null", () => {
    const raw = withFile("staging", "config:\n  agent-hive-platform:environment:\n  agent-hive-platform:namespace: ~\n", (dir) => readStackFile(dir, "staging"));
    expect(raw.values[k("environment")]).toBe("");
    expect(raw.values[k("namespace")]).toBe("");
  });

  it("treats a key with a secure value inside as secret as a whole", () => {
    const doc = loadStackDoc("staging");
    (cfg(doc, "namespace").labels as Record<string, unknown>).team = { secure: "v1:SENTINEL-CIPHERTEXT" };
    const raw = rawFromDoc("staging", doc);
    expect(raw.secretKeys.has(k("namespace"))).toBe(true);
    expect(raw.values[k("namespace")]).not.toContain("SENTINEL");
    // The placeholder is not a valid label value: the problem is reported, its value hidden.
    try {
      parseStackConfig(raw);
      throw new Error("accepted");
    } catch (e) {
      const hit = (e as ConfigError).problems.find((p) => p.key === k("namespace.labels.team"));
      expect(hit?.value).toBe("(secret, not shown)");
    }
  });
});
