import { durationSeconds } from "../../infra/catalogue/duration";
import type { PlatformConfig } from "../config/parse";

/**
 * How long a release may wait for its Rollout (`kubectl argo rollouts status
 * --timeout`), from the configured strategy. Too short and a healthy canary is
 * reported as failed; too long and a stuck one holds the environment's
 * release lock. The figure is an upper bound on a healthy rollout's duration:
 *
 * canary:     Σ pauseSeconds
 *           + steps × (POD_READY_SECONDS + (failureLimit + 1) × interval)
 *           + POD_READY_SECONDS
 *   - POD_READY_SECONDS per step: Argo starts a step's pause only once the
 *     canary ReplicaSet of the new weight is available (pull, start, readiness);
 *   - (failureLimit + 1) × interval per step: the background analysis needs
 *     that many measurements to abort, so a breach that begins in a step is
 *     judged (reported as an abort, not as a timeout) before the wait gives up;
 *   - one more POD_READY_SECONDS for the full promotion to 100 %.
 *
 * blue-green: POD_READY_SECONDS + autoPromotionSeconds
 *           + 2 × (count + 2) × interval
 *   - the preview pods start; the pre-promotion analysis runs `count`
 *     measurements one interval apart, after the scrape check's two-interval
 *     grace (infra/delivery/builders/analysis.ts `scrapeGraceDelay`); the same again for
 *     the post-promotion analysis, which the Rollout waits for before Healthy.
 *
 * A step that waits for a person (a canary step without pauseSeconds, or
 * blue-green without auto-promotion) has no upper bound: `status` would sit on
 * a Paused rollout until the timeout and report a healthy release as failed,
 * while holding the environment's lock. So those configs are refused here with
 * the key to change, rather than given an arbitrary cap.
 */
export const POD_READY_SECONDS = 120;

type Delivery = PlatformConfig["delivery"];

/** The wait's timeout in whole seconds, or a one-line error naming the key that makes a rollout wait for a person. */
export function releaseTimeoutSeconds(delivery: Delivery): number {
  const interval = durationSeconds(delivery.analysis.interval);
  if (delivery.strategy === "blueGreen") {
    const bg = delivery.blueGreen;
    if (!bg.autoPromotionEnabled) {
      throw new Error(
        "delivery.blueGreen.autoPromotionEnabled = false: every release waits for a manual `kubectl argo rollouts promote`, which an unattended release cannot wait for; set autoPromotionEnabled: true (and autoPromotionSeconds), or release this stack by hand",
      );
    }
    return Math.ceil(POD_READY_SECONDS + (bg.autoPromotionSeconds ?? 0) + 2 * (delivery.analysis.count + 2) * interval);
  }
  // The config edge refused a canary without steps and blue-green without a count.
  const steps = delivery.canary.steps;
  const manual = steps.findIndex((s) => s.pauseSeconds === undefined);
  if (manual >= 0) {
    throw new Error(
      `delivery.canary.steps[${manual}].pauseSeconds is not set: that step waits for a manual \`kubectl argo rollouts promote\`, which an unattended release cannot wait for; set pauseSeconds (and delivery.allowIndefinitePause: false to keep it so), or release this stack by hand`,
    );
  }
  const pauses = steps.reduce((sum, s) => sum + (s.pauseSeconds ?? 0), 0);
  const perStep = POD_READY_SECONDS + (delivery.analysis.failureLimit + 1) * interval;
  return Math.ceil(pauses + steps.length * perStep + POD_READY_SECONDS);
}
