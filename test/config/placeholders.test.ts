import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { describe, expect, it } from "vitest";
import { PROJECT } from "../../infra/catalogue/names";
import { ConfigError, RawStackConfig, parseStackConfig } from "../../stacks/config/parse";
import { placeholderRules } from "../../stacks/config/placeholders";
import { planStack } from "../../stacks/offline/run";
import { readStackFile } from "../../stacks/offline/stack-file";
import program from "../../stacks/index";
import { DEFAULT_STACKS, ROOT, cfg, loadStackDoc, planCommitted, rawFromDoc } from "../support/stacks";

const FIX = "pulumi config set --path kubernetes.apiServer https://<your API server>";

/** The program as Pulumi's host runs it (no argument: a real deployment), under the offline runner's mocks; what it registered. */
async function deployRun(raw: RawStackConfig): Promise<{ failure: unknown; registered: string[] }> {
  let monitor: { resources: Map<string, unknown> } | undefined;
  const asHost = () => {
    monitor = getMonitor() as unknown as { resources: Map<string, unknown> };
    return program();
  };
  const failure = await planStack(raw, asHost).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { failure, registered: [...(monitor?.resources.keys() ?? [])] };
}

describe("placeholder config in a real deployment", () => {
  it.each(DEFAULT_STACKS)("refuses %s's committed .example API server before registering anything, naming the key, value and fix", async (stack) => {
    const raw = readStackFile(ROOT, stack);
    const { failure, registered } = await deployRun(raw);
    expect(failure).toBeInstanceOf(ConfigError);
    const apiServer = raw.values[`${PROJECT}:kubernetes`] && (JSON.parse(raw.values[`${PROJECT}:kubernetes`]) as { apiServer: string }).apiServer;
    expect(apiServer).toMatch(/\.example:6443$/);
    expect((failure as ConfigError).problems).toEqual([
      { key: `${PROJECT}:kubernetes.apiServer`, value: JSON.stringify(apiServer), problem: expect.stringContaining(FIX) },
    ]);
    expect((failure as ConfigError).message).toContain(`${PROJECT}:kubernetes.apiServer = ${JSON.stringify(apiServer)}: is a placeholder`);
    expect(registered).toEqual([`urn:pulumi:${stack}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stack}`]);
  });

  it("reports every placeholder together with the config's other problems, all at once", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "kubernetes").context = "api.production.k8s.leanvibe.example";
    cfg(doc, "delivery").analysis = { ...(cfg(doc, "delivery").analysis as object), prometheusAddress: "http://prometheus.monitoring.example:9090" };
    cfg(doc, "observability").runbookBaseUrl = "https://runbooks.example/agent-hive/";
    cfg(doc, "namespace").name = "Bad_Name";
    const { failure } = await deployRun(rawFromDoc("production", doc));
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).problems.map((p) => [p.key, p.value, p.problem.replace(/.*; run: /, "")]).sort()).toEqual(
      [
        [`${PROJECT}:delivery.analysis.prometheusAddress`, '"http://prometheus.monitoring.example:9090"', "pulumi config set --path delivery.analysis.prometheusAddress http://<your Prometheus>:9090"],
        [`${PROJECT}:kubernetes.apiServer`, '"https://api.production.k8s.leanvibe.example:6443"', FIX],
        [`${PROJECT}:kubernetes.context`, '"api.production.k8s.leanvibe.example"', "pulumi config set --path kubernetes.context <your kubeconfig context>"],
        [`${PROJECT}:namespace.name`, '"Bad_Name"', expect.any(String)],
        [`${PROJECT}:observability.runbookBaseUrl`, '"https://runbooks.example/agent-hive/"', "pulumi config set --path observability.runbookBaseUrl https://<your runbooks>/"],
      ].sort(),
    );
  });

  it("deploys real values: the e2e tier's (e2e/lib.sh sets apiServer and context) pass", async () => {
    const doc = loadStackDoc("staging");
    cfg(doc, "kubernetes").apiServer = "https://127.0.0.1:6443";
    cfg(doc, "kubernetes").context = "e2e";
    expect(() => parseStackConfig(rawFromDoc("staging", doc), "deploy")).not.toThrow();
    const { failure, registered } = await deployRun(rawFromDoc("staging", doc));
    expect(failure).toBeUndefined();
    // Everything the offline plan of the same config registers, and nothing else.
    const offline = await planStack(rawFromDoc("staging", doc));
    const resources = (urns: readonly string[]) => urns.filter((u) => !u.includes("::pulumi:pulumi:Stack::")).sort();
    expect(resources(registered)).toEqual(resources(offline.resources.map((r) => r.urn)));
    expect(resources(registered).length).toBeGreaterThan(70);
  });

  it("keeps the offline plan, policy, diff and golden files working on the committed placeholders", async () => {
    for (const stack of DEFAULT_STACKS) expect(() => parseStackConfig(readStackFile(ROOT, stack))).not.toThrow();
    const plan = await planCommitted("staging");
    expect(plan.resources.find((r) => r.type === "pulumi:providers:kubernetes")?.inputs).toMatchObject({ context: "agent-hive-staging" });
  });
});

describe("what counts as a placeholder", () => {
  const at = (value: unknown, ...path: string[]) => path.reduceRight<unknown>((v, k) => ({ [k]: v }), value) as Record<string, unknown>;
  it.each([
    ["https://api.staging.k8s.leanvibe.example:6443", true],
    ["https://EXAMPLE:6443/", true],
    ["https://api.example.:443", true],
    ["https://api.staging.k8s.leanvibe.dev:6443", false],
    ["https://example.com:6443", false],
    ["https://api.example.org", false],
    ["https://10.0.0.1:6443", false],
    ["not a url .example", false],
  ])("%s in any URL-valued key: %s", (url, refused) => {
    expect(placeholderRules(at(url, "kubernetes", "apiServer")).length).toBe(refused ? 1 : 0);
    expect(placeholderRules(at([{ hook: url }], "future", "list")).map((p) => p.path)).toEqual(refused ? [["future", "list", 0, "hook"]] : []);
  });
  it("a kubernetes.context only when it is itself a .example host", () => {
    expect(placeholderRules(at("agent-hive-staging", "kubernetes", "context"))).toEqual([]);
    expect(placeholderRules(at("cluster.example", "kubernetes", "context")).map((p) => p.path)).toEqual([["kubernetes", "context"]]);
    expect(placeholderRules(at("cluster.example", "namespace", "name"))).toEqual([]);
  });
});
