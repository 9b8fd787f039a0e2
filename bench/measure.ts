import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { App, ApiObject, Chart } from "cdk8s";
import { qualityGates } from "../policies/pack";
import { planManifests } from "../stacks/offline/manifests";
import { PolicyConfigFile, evaluatePolicies } from "../stacks/offline/policy";
import { planStack } from "../stacks/offline/run";
import { stackWithServices } from "./generate";

/**
 * One measurement in a fresh process, printed as JSON: the platform's plan plus
 * policy, the SDK floor, or the cdk8s peer, for a stack with N services.
 * Usage: measure.ts <platform|floor|peer> <services>
 */
const ROOT = path.resolve(__dirname, "..");

async function platform(services: number) {
  const raw = stackWithServices(ROOT, services);
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", "production.json"), "utf8")) as PolicyConfigFile;
  const once = async () => {
    const t0 = performance.now();
    const plan = await planStack(raw);
    const t1 = performance.now();
    const report = await evaluatePolicies(raw.stack, plan.resources, qualityGates(), config);
    const t2 = performance.now();
    return { planMs: t1 - t0, policyMs: t2 - t1, totalMs: t2 - t0, resources: plan.resources.length, evaluations: report.evaluations };
  };
  // Cold: what a fresh `npm run plan` pays, module loading included. Warm: the
  // same plan again in the same process, the steady per-resource cost.
  const cold = await once();
  const warm = await once();
  return { ...cold, warmPlanMs: warm.planMs };
}

/**
 * The floor: the SDK's own cost for the same resources. The platform's planned
 * resources (same types, names, inputs, one level of components) are
 * registered as bare resources through the SDK's mocks, with no program, no
 * config parsing, no builders and no recording. What the platform costs above
 * this is its own.
 */
async function floor(services: number) {
  const planned = (await planStack(stackWithServices(ROOT, services))).resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  const once = async () => {
    const t0 = performance.now();
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: undefined, state: a.inputs }), call: () => ({}) }, "floor", "floor", true);
    await runInPulumiStack(async () => {
      const components = new Map<string, pulumi.ComponentResource>();
      for (const r of planned.filter((x) => !x.custom)) components.set(r.urn, new pulumi.ComponentResource(r.type, r.name, {}));
      for (const r of planned.filter((x) => x.custom)) {
        const parent = r.parent ? components.get(r.parent) : undefined;
        new pulumi.CustomResource(r.type, r.name, r.inputs as pulumi.Inputs, { parent });
      }
      return {};
    });
    await pulumi.runtime.disconnect();
    return performance.now() - t0;
  };
  const cold = await once();
  return { totalMs: cold, warmMs: await once(), resources: planned.length };
}

/** The bare floor: as many tiny resources, for scale. */
async function bareFloor(resources: number) {
  const t0 = performance.now();
  await pulumi.runtime.setMocks({ newResource: (a) => ({ id: undefined, state: a.inputs }), call: () => ({}) }, "floor", "floor", true);
  await runInPulumiStack(async () => {
    for (let i = 0; i < resources; i++) new pulumi.CustomResource("bench:index:Thing", `thing-${i}`, { spec: { index: i } });
    return {};
  });
  await pulumi.runtime.disconnect();
  return { totalMs: performance.now() - t0, resources };
}

/** The peer: cdk8s synthesising the same Kubernetes objects the platform plans. */
async function peer(services: number) {
  const plan = await planStack(stackWithServices(ROOT, services));
  const objects = planManifests(plan.resources).map((m) => m.object);
  const t0 = performance.now();
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "cdk8s-")) });
  const chart = new Chart(app, "agent-hive");
  objects.forEach((o, i) => {
    const { apiVersion, kind, metadata, ...rest } = o;
    new ApiObject(chart, `o${i}`, { apiVersion, kind, metadata: { name: metadata.name, namespace: metadata.namespace }, ...rest });
  });
  const yaml = app.synthYaml();
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return { totalMs: performance.now() - t0, objects: objects.length, bytes: yaml.length };
}

async function main() {
  const [mode, n] = process.argv.slice(2);
  const count = Number(n);
  const result =
    mode === "platform" ? await platform(count)
    : mode === "floor" ? await floor(count)
    : mode === "bare-floor" ? await bareFloor(count)
    : mode === "peer" ? await peer(count)
    : undefined;
  if (!result) throw new Error("usage: measure.ts <platform|floor|peer> <n>");
  console.log(JSON.stringify({ mode, n: count, ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
