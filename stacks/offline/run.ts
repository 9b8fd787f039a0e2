import * as pulumi from "@pulumi/pulumi";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { PROJECT } from "../../infra/catalogue/names";
import { ConfigMode, RawStackConfig } from "../config/parse";
import { configFingerprint } from "./fingerprint";
import { DeployedOutputs, PlanResource, RegistrationRecorder } from "./recorder";
import { PlanValue } from "./redact";
import program from "../index";

export interface Plan {
  readonly stack: string;
  readonly project: string;
  readonly resources: PlanResource[];
  readonly outputs: PlanValue;
  readonly warnings: string[];
  /** Fingerprints of the stack file's secret config, for the diff; never values. */
  readonly secretConfig: Readonly<Record<string, string>>;
  /** The hash of the config the program received (secrets only by fingerprint): how a stale plan is recognised. */
  readonly configFingerprint: string;
}

/**
 * The program as Pulumi's Node.js host runs it: an async function whose result is the stack
 * outputs. The host calls it with no argument; the offline runner says "offline".
 */
export type Program = (mode: ConfigMode) => Promise<unknown>;

/**
 * Runs the Pulumi program for one stack in this process, under the SDK's
 * runtime mocks in preview mode, with the stack's config loaded into the
 * runtime exactly as the CLI would, and returns what it registered. Stacks run
 * one after another.
 */
export function planStack(raw: RawStackConfig, entry: Program = program, deployed?: DeployedOutputs): Promise<Plan> {
  // The SDK's runtime state is global: plans queue up, one stack at a time.
  const run = queue.then(() => planOne(raw, entry, deployed));
  queue = run.catch(() => undefined);
  return run;
}
let queue: Promise<unknown> = Promise.resolve();

async function planOne(raw: RawStackConfig, entry: Program, deployed: DeployedOutputs | undefined): Promise<Plan> {
  const recorder = await RegistrationRecorder.install(PROJECT, raw.stack, deployed);
  pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
  const warnings: string[] = [];
  const warn = console.warn;
  // Without an engine the SDK prints its warnings; keep them for the summary instead.
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(" ").replace(/^warning: (\[runtime\] )?/, ""));
  };
  // The program's own failure is caught inside the stack so the SDK's root
  // resource settles cleanly, then rethrown here as the plan's result.
  let failure: { error: unknown } | undefined;
  try {
    await runInPulumiStack(async () => {
      try {
        return await entry("offline");
      } catch (error) {
        failure = { error };
        return undefined;
      }
    });
    await pulumi.runtime.disconnect();
  } finally {
    console.warn = warn;
  }
  if (failure) throw failure.error;
  const resources = [...recorder.resources].sort((a, b) => a.urn.localeCompare(b.urn));
  return { stack: raw.stack, project: PROJECT, resources, outputs: recorder.stackOutputs, warnings, secretConfig: raw.secretFingerprints ?? {}, configFingerprint: configFingerprint(raw) };
}
