import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { qualityGates } from "../../policies/pack";
import { SECRET_KEYS } from "../../stacks/config/secrets";
import { evaluatePolicies, formatPolicyReport } from "../../stacks/offline/policy";
import { summarize } from "../../stacks/offline/summary";
import { writePlan } from "../../stacks/offline/write";
import { planStack } from "../../stacks/offline/run";
import { DEFAULT_STACKS, loadStackDoc, planDoc, rawFromDoc, resourcesOfType } from "../support/stacks";

// One recognisable value per secret key: if any reaches a file or a line, the test names it.
const SENTINELS = Object.fromEntries(SECRET_KEYS.map((s) => [s.key, `SENTINEL-${s.key.toUpperCase()}-5e1f0c`]));

const out = fs.mkdtempSync(path.join(os.tmpdir(), "agent-hive-leaks-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/**
 * The secrets each committed stack stores in GitHub, by the names the guide's pipeline reads
 * (../shared/reference/cicd-operations-guide.md: `secrets.KUBE_CONFIG_STAGING`,
 * `secrets.PRODUCTION_API_KEY`...), written out rather than derived: production owns the
 * repository-wide ones.
 */
const GUIDE_SECRET_NAMES: Readonly<Record<string, readonly string[]>> = {
  staging: ["KUBE_CONFIG_STAGING", "STAGING_API_KEY"],
  production: ["KUBE_CONFIG_PRODUCTION", "PRODUCTION_API_KEY", "CODECOV_TOKEN", "SLACK_WEBHOOK", "SNYK_TOKEN"],
};

describe.each(DEFAULT_STACKS)("%s with real secret values", (stack) => {
  it("writes and prints them nowhere, and shows every secret resource's value as [secret]", async () => {
    const plan = await planDoc(stack, loadStackDoc(stack), SENTINELS);
    const written = writePlan(plan, out);
    const report = await evaluatePolicies(stack, plan.resources, qualityGates(), {});
    fs.writeFileSync(path.join(written.dir, "policy-report.json"), JSON.stringify(report));
    const printed = [summarize(plan, written.manifests, written.dir), formatPolicyReport(report), ...plan.warnings].join("\n");

    const files = fs.readdirSync(written.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    // Every kind of file the plan writes is scanned, the Secrets' manifests among them.
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        "plan.json",
        "policy-report.json",
        "agent-hive.rules.yml",
        `agent-hive-cicd-${stack}.json`,
        `agent-hive-service-${stack}.json`,
        expect.stringMatching(/^\d+-secret-alertmanager-slack\.yaml$/),
        expect.stringMatching(/^\d+-secret-agent-hive-api-key\.yaml$/),
        expect.stringMatching(/^\d+-secret-agent-hive-registry\.yaml$/),
      ]),
    );
    const texts = [printed, ...files.map((f) => fs.readFileSync(path.join(f.parentPath, f.name), "utf8"))];
    for (const [key, value] of Object.entries(SENTINELS)) {
      for (const text of texts) expect(text.includes(value), `${key} leaked`).toBe(false);
    }

    const secretResources = [
      ...resourcesOfType(plan, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret"),
      ...resourcesOfType(plan, "github:index/actionsSecret:ActionsSecret"),
    ];
    expect(GUIDE_SECRET_NAMES[stack], `no expected secret names for ${stack}`).toBeDefined();
    expect(secretResources.map((r) => (r.inputs as { secretName: string }).secretName).sort()).toEqual([...(GUIDE_SECRET_NAMES[stack] ?? [])].sort());
    for (const r of secretResources) expect((r.inputs as { value: unknown }).value, r.urn).toBe("[secret]");
    expect(resourcesOfType(plan, "pulumi:providers:kubernetes")[0].inputs).toMatchObject({ kubeconfig: "[secret]" });
  });
});

describe("values only known after deployment", () => {
  // What the providers return on a real update: the generated API key, and the
  // deployer's token and CA that the kubeconfig secret is built from.
  const API_KEY = "SENTINEL-GENERATED-API-KEY-0a9d";
  const TOKEN = "SENTINEL-SERVICE-ACCOUNT-TOKEN-77e3";
  const CA = "-----BEGIN CERTIFICATE-----\nSENTINEL-CA-41b8\n-----END CERTIFICATE-----\n";
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const deployed = (args: { type: string; inputs: Record<string, unknown> }) => {
    if (args.type === "random:index/randomPassword:RandomPassword") return { result: API_KEY };
    if (args.type === "kubernetes:core/v1:Secret" && args.inputs.type === "kubernetes.io/service-account-token") return { data: { token: b64(TOKEN), "ca.crt": b64(CA) } };
    return {};
  };

  it.each(DEFAULT_STACKS)("%s: the generated key and the deployer token reach no file and no line", async (stack) => {
    const raw = rawFromDoc(stack, loadStackDoc(stack));
    const plan = await planStack(raw, undefined, deployed);
    const written = writePlan(plan, path.join(out, "deployed"));
    const text = [JSON.stringify(plan), summarize(plan, written.manifests, written.dir), ...fs.readdirSync(written.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8"))].join("\n");
    for (const value of [API_KEY, TOKEN, "SENTINEL-CA-41b8", b64(TOKEN), b64(API_KEY)]) expect(text.includes(value), value).toBe(false);
    const envSecrets = resourcesOfType(plan, "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
    expect(envSecrets.map((r) => (r.inputs as { value: unknown }).value)).toEqual(["[secret]", "[secret]"]);
  });
});
