import type {
  EnforcementLevel,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/** The areas the pack is grouped by; security and governance are mandatory everywhere. */
export type Area = "kubernetes-hardening" | "delivery" | "monitoring" | "github" | "pulumi-options";

/** JSON schema of a policy's config, as `@pulumi/policy` takes it; defaults are applied offline too. */
export interface ConfigSchema {
  readonly properties: Record<string, { readonly type: string; readonly default?: unknown; readonly items?: { readonly type: string }; readonly description?: string }>;
}

/** A policy of the pack plus what the offline runner and reports need to know about it. */
export interface QualityGate {
  readonly area: Area;
  readonly remediation: string;
  readonly policy: ResourceValidationPolicy | StackValidationPolicy;
}

interface Common<C> {
  /** kebab-case, says what it checks. */
  readonly name: string;
  readonly area: Area;
  readonly description: string;
  /** How to fix a violation: printed with each one. */
  readonly remediation: string;
  readonly config?: { readonly schema: ConfigSchema; readonly defaults: C };
}

/** Reads a policy's config with its defaults under what the engine (or the offline runner) passed. */
function configOf<C>(common: Common<C>, given: object): C {
  return { ...(common.config?.defaults ?? ({} as C)), ...given } as C;
}

/** What every policy of the pack declares, whatever it validates. */
function gate<C>(spec: Common<C>, enforcementLevel: EnforcementLevel, validation: object): QualityGate {
  return {
    area: spec.area,
    remediation: spec.remediation,
    policy: {
      name: spec.name,
      description: `${spec.description} Fix: ${spec.remediation}`,
      enforcementLevel,
      configSchema: spec.config ? { properties: spec.config.schema.properties } : undefined,
      ...validation,
    } as ResourceValidationPolicy | StackValidationPolicy,
  };
}

/** A policy over one resource at a time; the enforcement level is passed in by the pack. */
export function resourcePolicy<C = Record<string, never>>(
  spec: Common<C> & { readonly validate: (args: ResourceValidationArgs, report: ReportViolation, config: C) => void },
): (level: EnforcementLevel) => QualityGate {
  return (level) =>
    gate(spec, level, { validateResource: (args: ResourceValidationArgs, report: ReportViolation) => spec.validate(args, report, configOf(spec, args.getConfig())) });
}

/** A policy over the whole stack: for what must exist together (a Rollout and its PDB). */
export function stackPolicy<C = Record<string, never>>(
  spec: Common<C> & { readonly validate: (args: StackValidationArgs, report: ReportViolation, config: C) => void },
): (level: EnforcementLevel) => QualityGate {
  return (level) =>
    gate(spec, level, { validateStack: (args: StackValidationArgs, report: ReportViolation) => spec.validate(args, report, configOf(spec, args.getConfig())) });
}
