import { describe, expect, it } from "vitest";
import { podsMustNotMountHostPaths } from "../../../policies/kubernetes/pods-must-not-mount-host-paths";
import { podsMustNotShareHostNamespaces } from "../../../policies/kubernetes/pods-must-not-share-host-namespaces";
import { qualityGates } from "../../../policies/pack";
import { PlanResource } from "../../../stacks/offline/recorder";
import { violationsOf } from "../../policies/fixtures";
import { ROOT, planCommitted } from "../../support/stacks";
import { readPolicyConfig } from "../../../stacks/offline/policy";

type Values = { alloy: { mounts: Record<string, boolean> }; controller: Record<string, unknown> };

/** The production plan with the shipper's release values edited. */
async function withShipperValues(edit: (values: Values) => void): Promise<PlanResource[]> {
  const plan = await planCommitted("production");
  return plan.resources.map((r) => {
    if (r.type !== "kubernetes:helm.sh/v3:Release" || (r.inputs as { chart?: string }).chart !== "alloy") return r;
    const inputs = structuredClone(r.inputs) as { values: Values };
    edit(inputs.values);
    return { ...r, inputs: inputs as unknown as PlanResource["inputs"] };
  });
}

describe("the pack over the log add-ons", () => {
  it("passes production's plan, Loki and the shipper included", async () => {
    const plan = await planCommitted("production");
    const config = readPolicyConfig(ROOT, "production");
    expect(Object.keys(config)).toContain("deploy-branches-must-be-protected");
    for (const gate of qualityGates()) {
      expect(await violationsOf(() => gate, plan.resources, config), gate.policy.name).toEqual([]);
    }
  });

  it("sees the shipper's Helm values: a host /var/log mount or the node's network fails it", async () => {
    const mounted = await withShipperValues((v) => (v.alloy.mounts.varlog = true));
    expect((await violationsOf(podsMustNotMountHostPaths, mounted)).join("\n")).toMatch(/Helm release alloy: values alloy\.mounts\.varlog = true/);
    const hostNetwork = await withShipperValues((v) => (v.controller.hostNetwork = true));
    expect((await violationsOf(podsMustNotShareHostNamespaces, hostNetwork)).join("\n")).toMatch(/Helm release alloy: values controller\.hostNetwork = true/);
  });
});
