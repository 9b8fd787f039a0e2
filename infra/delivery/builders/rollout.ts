import type { IRollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import type { CanaryStep, DeliverySpec } from "../spec";
import { CANARY_HASH_ARG } from "./analysis";
import { objectLabels, selectorLabels } from "./labels";
import { deliveryNames } from "./names";
import { buildPodTemplate } from "./pod-template";

type Strategy = NonNullable<IRollout["spec"]["strategy"]>;
type CanaryStrategy = NonNullable<Strategy["canary"]>;
type RolloutStep = NonNullable<CanaryStrategy["steps"]>[number];

/**
 * `pulumi up` does not wait for the Rollout. A production canary takes 20
 * minutes of pauses plus analysis, and a paused or aborted canary is a normal
 * state, not a failed deployment: blocking `pulumi up` on it would time out or
 * report the wrong thing. Argo Rollouts reports progress in the Rollout's
 * status; the pipeline waits with `kubectl argo rollouts status <rollout>`.
 */
export const SKIP_AWAIT_ANNOTATIONS = { "pulumi.com/skipAwait": "true" } as const;

/**
 * Each weight is followed by its pause; a pause without duration waits for
 * `kubectl argo rollouts promote`. Without a traffic router, Argo approximates
 * a weight by replica counts: 10 replicas at 10% is 1 canary pod, and 2
 * replicas cannot do better than 50%.
 */
export function canarySteps(steps: readonly CanaryStep[]): RolloutStep[] {
  return steps.flatMap((step): RolloutStep[] => [
    { setWeight: step.setWeight },
    { pause: step.pauseSeconds === undefined ? {} : { duration: step.pauseSeconds } },
  ]);
}

/**
 * The analysis reference both strategies use: the SLO template on the new version's pods.
 *
 * `analysisRunMetadata: {}` is what the Argo controller writes back into every analysis
 * reference when it updates the Rollout (an empty struct). Had we not sent it, the
 * controller's write would add it and, under server-side apply, own it: `pulumi up` could
 * then not remove the strategy it sits in, and a strategy switch by config left both
 * `canary` and `blueGreen` in the live Rollout, which the controller refuses ("Multiple
 * Strategies can not be listed"). Sent by us, the controller's write changes nothing it
 * would own. Found by the canary e2e suite (e2e/canary, scenario bluegreen).
 */
function analysisRef(spec: DeliverySpec) {
  return {
    templates: [{ templateName: deliveryNames(spec.service).analysisTemplate }],
    args: [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: "Latest" } }],
    analysisRunMetadata: {},
  };
}

function strategy(spec: DeliverySpec): Strategy {
  const names = deliveryNames(spec.service);
  const s = spec.strategy;
  if (s.kind === "canary") {
    return {
      canary: {
        canaryService: names.canaryService,
        stableService: names.stableService,
        // In the background from the first step, so a breach at any weight aborts the
        // canary and scales it away instead of waiting for the next step.
        analysis: { ...analysisRef(spec), startingStep: 0 },
        steps: canarySteps(s.steps),
      },
    };
  }
  return {
    blueGreen: {
      activeService: names.clientService,
      previewService: names.previewService,
      // Before the switch the preview takes no client traffic, so this mostly
      // proves the new pods are up and scraped; after it, real traffic is judged
      // while the old pods are kept for scaleDownDelaySeconds, for a fast abort.
      prePromotionAnalysis: analysisRef(spec),
      postPromotionAnalysis: analysisRef(spec),
      autoPromotionEnabled: s.autoPromotionEnabled,
      ...(s.autoPromotionEnabled && s.autoPromotionSeconds !== undefined ? { autoPromotionSeconds: s.autoPromotionSeconds } : {}),
      scaleDownDelaySeconds: s.scaleDownDelaySeconds,
    },
  };
}

/**
 * The service's Rollout. On first creation Argo Rollouts skips the steps and
 * the analysis (there is no stable version to compare with) and goes straight
 * to 100%; every later change of the pod template runs the strategy.
 */
export function buildRollout(spec: DeliverySpec): IRollout {
  const names = deliveryNames(spec.service);
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Rollout",
    metadata: {
      name: names.rollout,
      namespace: spec.namespace,
      labels: objectLabels(spec),
      annotations: { ...SKIP_AWAIT_ANNOTATIONS },
    },
    spec: {
      replicas: spec.service.replicas,
      selector: { matchLabels: selectorLabels(spec) },
      template: buildPodTemplate(spec),
      strategy: strategy(spec),
    },
  };
}
