import { ObservabilitySpec } from "../../infra/observability/spec";
import { observabilitySpec } from "../../stacks/specs";
import { committedConfig } from "../support/stacks";

// The observability specs the committed stacks give the program, projected
// from the stack files exactly as stacks/platform.ts does. Tests change one
// field each.

const committedSpec = (stack: string, over: Partial<ObservabilitySpec>): ObservabilitySpec => ({ ...structuredClone(observabilitySpec(committedConfig(stack))), ...over });

/** Pulumi.staging.yaml's: lenient alerts, warnings only, one Slack channel. */
export const staging = (over: Partial<ObservabilitySpec> = {}): ObservabilitySpec => committedSpec("staging", over);

/** Pulumi.production.yaml's: the guide's timings, critical pages, Slack by severity. */
export const production = (over: Partial<ObservabilitySpec> = {}): ObservabilitySpec => committedSpec("production", over);

/** A variation no committed stack has yet: a second service, on its own port. */
export const withSecondService = (spec: ObservabilitySpec): ObservabilitySpec => ({ ...spec, services: [...spec.services, { name: "api", port: 8081 }] });
