import { asString, at } from "./props";
import type { Props } from "./props";

/*
 * Which stacks the production-only gates guard. The stack's name comes from
 * the engine (every URN carries it: `urn:pulumi:<stack>::<project>::...`); a
 * stack file cannot change it. The `environment` label is written from the
 * same stack file the gates judge, so it may only add protection, never take
 * it away: a resource is guarded when its stack is listed OR its environment
 * is, and `stack-identity-must-match` fails the stack when the two disagree.
 * Names compare case-insensitively, as GitHub compares environment names.
 */

export interface Identity {
  /** Stacks whose resources the production gates guard, by name. */
  readonly stacks: readonly string[];
  /** Environment names (labels, GitHub environments) guarded wherever they appear. */
  readonly environments: readonly string[];
}

export const DEFAULT_IDENTITY: Identity = { stacks: ["production"], environments: ["production"] };

/** The identity fields of a policy's config schema, for the policies that guard production. */
export const IDENTITY_SCHEMA = {
  stacks: { type: "array", items: { type: "string" }, default: [...DEFAULT_IDENTITY.stacks], description: "stacks (by name, from the engine) the gate guards" },
  environments: { type: "array", items: { type: "string" }, default: [...DEFAULT_IDENTITY.environments], description: "environment names the gate guards, compared case-insensitively" },
} as const;

export const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
export const listed = (names: readonly string[], name: string | undefined): boolean => name !== undefined && names.some((n) => sameName(n, name));

/** The stack a resource belongs to, from its URN. */
export function stackOf(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

export const environmentLabelOf = (props: Props): string | undefined => asString(at(props, "metadata", "labels", "environment"));

/** Whether a resource is guarded: its stack, or the environment it names, is listed. */
export function guarded(identity: Identity, urn: string, environment: string | undefined): boolean {
  return listed(identity.stacks, stackOf(urn)) || listed(identity.environments, environment);
}
