import type { DeliverySpec } from "../../infra/delivery/spec";
import { deliverySpec } from "../../stacks/specs";
import { committedConfig } from "../support/stacks";

// The delivery specs the committed stacks give the program (Pulumi.production.yaml
// runs the guide's canary, Pulumi.staging.yaml a short one), projected from the
// stack files exactly as stacks/platform.ts does; a blue-green variant of
// production exercises the other strategy. Tests change one field each.

export const DIGEST = `sha256:${"a1".repeat(32)}`;

/** The first service's delivery spec of a committed stack: a fresh copy, safe to change. */
function committedSpec(stack: string): DeliverySpec {
  const config = committedConfig(stack);
  return structuredClone(deliverySpec(config, config.services[0]));
}

export const productionSpec = (over: Partial<DeliverySpec> = {}): DeliverySpec => ({ ...committedSpec("production"), ...over });

export const stagingSpec = (over: Partial<DeliverySpec> = {}): DeliverySpec => ({ ...committedSpec("staging"), ...over });

/** Production switched to blue-green, as `delivery.strategy: blueGreen` with five analysis runs would. */
export const blueGreenSpec = (over: Partial<DeliverySpec> = {}): DeliverySpec =>
  productionSpec({
    strategy: { kind: "blueGreen", autoPromotionEnabled: false, scaleDownDelaySeconds: 30, analysisCount: 5 },
    ...over,
  });

export const ALL_SPECS = [
  ["production canary", productionSpec()],
  ["staging canary", stagingSpec()],
  ["blue-green", blueGreenSpec()],
] as const;
