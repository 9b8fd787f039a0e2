import type {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as fs from "node:fs";
import * as path from "node:path";
import { QualityGate } from "../../policies/lib/define";
import { readPlanJson, shown } from "./fingerprint";
import { PlanResource } from "./recorder";

/** A policy config file as `pulumi preview --policy-pack-config` reads it. */
export type PolicyConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/**
 * A stack's policy config, `policies/config/<stack>.json` under `root`; none (every policy at
 * the pack's strict default) when the stack has no file of its own.
 */
export function readPolicyConfig(root: string, stack: string): PolicyConfigFile {
  const file = path.join(root, "policies", "config", `${stack}.json`);
  return fs.existsSync(file) ? readPlanJson<PolicyConfigFile>(file, shown(root, file), "fix the policy config file") : {};
}

export interface Violation {
  readonly policy: string;
  readonly area: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string | null;
  readonly message: string;
  readonly remediation: string;
}

export interface PolicyReport {
  readonly stack: string;
  readonly policies: number;
  readonly evaluations: number;
  readonly violations: Violation[];
  readonly mandatoryViolations: number;
}

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

function levelOf(name: string, fallback: EnforcementLevel | undefined, config: PolicyConfigFile): EnforcementLevel {
  const own = config[name];
  if (typeof own === "string") return own;
  const all = config.all;
  return own?.enforcementLevel ?? (typeof all === "string" ? all : undefined) ?? fallback ?? "advisory";
}

function propsOf(config: PolicyConfigFile, name: string): Record<string, unknown> {
  const own = config[name];
  if (typeof own !== "object") return {};
  const { enforcementLevel: _level, ...props } = own;
  return props;
}

const typeTest = (type: string) => (cls: { __pulumiType?: string }) => cls.__pulumiType === type;
const asObject = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * Evaluates the pack's policy objects over a plan the way the engine's
 * analyzer calls them: every resource policy on every resource, every stack
 * policy once over all resources, with the stack's policy config.
 */
export async function evaluatePolicies(stack: string, resources: readonly PlanResource[], gates: readonly QualityGate[], config: PolicyConfigFile): Promise<PolicyReport> {
  const byUrn = new Map<string, PlanResource>(resources.map((r) => [r.urn, r]));
  const subjects = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  const policyResources = new Map<string, PolicyResource>();
  for (const r of subjects) {
    policyResources.set(r.urn, {
      type: r.type,
      props: asObject(r.inputs),
      urn: r.urn,
      name: r.name,
      opts: {
        protect: r.options.protect,
        ignoreChanges: [...r.options.ignoreChanges],
        deleteBeforeReplace: r.options.deleteBeforeReplace,
        aliases: r.options.aliases.map((a) => (typeof a === "string" ? a : JSON.stringify(a))),
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [...r.options.additionalSecretOutputs],
        parent: r.parent ?? undefined,
      },
      dependencies: [],
      propertyDependencies: {},
      isType: typeTest(r.type),
      asType: ((cls: { __pulumiType?: string }) => (cls.__pulumiType === r.type ? asObject(r.inputs) : undefined)) as PolicyResource["asType"],
    } as unknown as PolicyResource);
  }
  for (const r of subjects) {
    const pr = policyResources.get(r.urn) as { parent?: PolicyResource; provider?: unknown; dependencies: PolicyResource[] };
    if (r.parent) pr.parent = policyResources.get(r.parent);
    pr.dependencies = r.options.dependsOn.map((u) => policyResources.get(u)).filter((x): x is PolicyResource => x !== undefined);
    const provider = r.options.provider ? byUrn.get(r.options.provider) : undefined;
    if (provider) pr.provider = { type: provider.type, props: asObject(provider.inputs), urn: provider.urn, name: provider.name };
  }

  const violations: Violation[] = [];
  let evaluations = 0;
  let active = 0;
  for (const gate of gates) {
    const p = gate.policy;
    const level = levelOf(p.name, p.enforcementLevel, config);
    if (level === "disabled") continue;
    active++;
    const report = (message: string, urn?: string) =>
      violations.push({ policy: p.name, area: gate.area, enforcementLevel: level === "remediate" ? "mandatory" : level, urn: urn ?? null, message, remediation: gate.remediation });
    const getConfig = <T extends object>() => propsOf(config, p.name) as T;
    const validateResource = (p as ResourceValidationPolicy).validateResource;
    if (validateResource) {
      const validations = Array.isArray(validateResource) ? validateResource : [validateResource];
      for (const r of subjects) {
        const pr = policyResources.get(r.urn) as PolicyResource & { provider?: ResourceValidationArgs["provider"] };
        const args = { ...pr, stackTags: new Map<string, string>(), getConfig, notApplicable } as unknown as ResourceValidationArgs;
        for (const v of validations) {
          evaluations++;
          try {
            await v(args, (message, urn) => report(message, urn ?? r.urn));
          } catch (e) {
            if (!(e instanceof NotApplicable)) throw new Error(`policy ${p.name} failed on ${r.urn}: ${(e as Error).message}`);
          }
        }
      }
    }
    const validateStack = (p as StackValidationPolicy).validateStack;
    if (validateStack) {
      evaluations++;
      const args = { resources: [...policyResources.values()], getConfig, stackTags: new Map<string, string>(), notApplicable } as unknown as StackValidationArgs;
      try {
        await validateStack(args, report);
      } catch (e) {
        if (!(e instanceof NotApplicable)) throw new Error(`policy ${p.name} failed: ${(e as Error).message}`);
      }
    }
  }
  return { stack, policies: active, evaluations, violations, mandatoryViolations: violations.filter((v) => v.enforcementLevel === "mandatory").length };
}

/** Violations grouped by policy, each with its resource and the fix. */
export function formatPolicyReport(report: PolicyReport): string {
  const lines = [`stack ${report.stack}: ${report.policies} policies, ${report.evaluations} evaluations, ${report.violations.length} violations (${report.mandatoryViolations} mandatory)`];
  const byPolicy = new Map<string, Violation[]>();
  for (const v of report.violations) byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
  for (const [policy, vs] of byPolicy) {
    lines.push(`  [${vs[0].enforcementLevel}] ${policy}`);
    for (const v of vs) lines.push(`    - ${v.message}${v.urn ? `\n      at ${v.urn}` : ""}`);
    lines.push(`    fix: ${vs[0].remediation}`);
  }
  return lines.join("\n");
}
