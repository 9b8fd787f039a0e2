import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../stacks/config/parse";
import { readStackFile } from "../../stacks/offline/stack-file";
import { releaseInfo } from "../../stacks/release/info";

const ROOT = path.resolve(__dirname, "../..");
const info = (stack: string) => releaseInfo(parseStackConfig(readStackFile(ROOT, stack)));

describe("release info of the committed stacks", () => {
  it("staging", () => {
    expect(info("staging")).toEqual({
      stack: "staging",
      environment: "staging",
      namespace: "agent-hive-staging",
      imageOwner: "stack",
      githubEnvironment: "staging",
      kubeConfigSecret: "KUBE_CONFIG_STAGING",
      kubeContext: "agent-hive-staging",
      platformDeployBranch: "develop",
      rollouts: [{ name: "agent-hive-orchestrator", service: "orchestrator", container: "orchestrator", image: "ghcr.io/leanvibe/agent-hive:1.0.0" }],
      // 60 + (120 + (1 + 1) × 30) + 120
      timeoutSeconds: 360,
      pushgateway: { namespace: "pushgateway", service: "pushgateway", port: 9091 },
    });
  });

  it("production", () => {
    expect(info("production")).toEqual({
      stack: "production",
      environment: "production",
      namespace: "agent-hive-production",
      imageOwner: "stack",
      githubEnvironment: "production",
      kubeConfigSecret: "KUBE_CONFIG_PRODUCTION",
      kubeContext: "agent-hive-production",
      platformDeployBranch: "main",
      rollouts: [{ name: "agent-hive-orchestrator", service: "orchestrator", container: "orchestrator", image: "ghcr.io/leanvibe/agent-hive:1.0.0" }],
      // 4 × 300 + 4 × (120 + (2 + 1) × 60) + 120
      timeoutSeconds: 2520,
      pushgateway: { namespace: "pushgateway", service: "pushgateway", port: 9091 },
    });
  });
});

describe("release info follows the config", () => {
  it("a digest pins the image, no Pushgateway grant means no port-forward, and the image owner is passed on", () => {
    const raw = readStackFile(ROOT, "staging");
    const edit = (key: string, f: (v: Record<string, unknown>) => unknown) => {
      const full = `agent-hive-platform:${key}`;
      return { [full]: JSON.stringify(f(JSON.parse(raw.values[full]) as Record<string, unknown>)) };
    };
    const digest = `sha256:${"ab".repeat(32)}`;
    const values = {
      ...raw.values,
      ...edit("services", (s) => [{ ...(s as unknown as Record<string, unknown>[])[0], digest }]),
      ...edit("addons", (a) => ({ ...a, pushgateway: { install: false } })),
      ...edit("delivery", (d) => ({ ...d, imageOwner: "pipeline" })),
    };
    const i = releaseInfo(parseStackConfig({ ...raw, values }));
    expect(i.rollouts[0].image).toBe(`ghcr.io/leanvibe/agent-hive@${digest}`);
    expect(i.pushgateway).toBeNull();
    expect(i.imageOwner).toBe("pipeline");
  });
});
