import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { RawStackConfig } from "../../stacks/config/parse";
import { readStackFile } from "../../stacks/offline/stack-file";
import { setImage } from "../../stacks/release/set-image";

const ROOT = path.resolve(__dirname, "../..");
const DIGEST = `sha256:${"c0ffee".repeat(10)}abcd`;
const committed = (stack: string) => ({ text: fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"), raw: readStackFile(ROOT, stack) });

/** Lines of `after` that differ from `before`, by position (the edit never adds or removes lines here). */
function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b.length).toBe(a.length);
  return b.filter((line, i) => line !== a[i]);
}

/** The raw config of an edited text, as the project's reader would give it. */
function rawOf(stack: string, text: string): RawStackConfig {
  const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "release-"));
  try {
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return readStackFile(dir, stack);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("set-image edits the stack file in place", () => {
  it.each(["staging", "production"])("%s: a tag changes exactly the tag line; comments, flow style and order stay", (stack) => {
    const { text, raw } = committed(stack);
    const result = setImage({ text, raw, image: "ghcr.io/leanvibe/agent-hive:1.4.2" });
    expect(result.changes).toEqual(["services[0].tag: 1.0.0 -> 1.4.2"]);
    expect(changedLines(text, result.text)).toEqual(["      tag: 1.4.2"]);
    const comments = (t: string) => t.split("\n").filter((l) => l.trim().startsWith("#"));
    expect(comments(result.text)).toEqual(comments(text));
    expect(comments(text).length).toBeGreaterThan(3);
  });

  it("a digest replaces the tag, and the result is what the project's parser reads back", () => {
    const { text, raw } = committed("production");
    const result = setImage({ text, raw, image: `ghcr.io/leanvibe/agent-hive@${DIGEST}` });
    expect(result.changes).toEqual(["services[0].tag: 1.0.0 -> (removed)", `services[0].digest: (not set) -> ${DIGEST}`]);
    // The tag's line gives way to the digest's, at the image's indentation.
    expect(changedLines(text, result.text)).toEqual([`      digest: ${DIGEST}`]);
    const service = (parse(result.text) as { config: Record<string, { tag?: string; digest?: string }[]> }).config["agent-hive-platform:services"][0];
    expect(service).toMatchObject({ name: "orchestrator", digest: DIGEST });
    expect(service.tag).toBeUndefined();
    expect(result.target).toMatchObject({ rollout: "agent-hive-orchestrator", container: "orchestrator", image: `ghcr.io/leanvibe/agent-hive@${DIGEST}` });
    // And back to a tag: the digest goes, or it would keep winning.
    const back = setImage({ text: result.text, raw: rawOf("production", result.text), image: "ghcr.io/leanvibe/agent-hive:1.5.0" });
    expect(back.changes).toEqual(["services[0].tag: (not set) -> 1.5.0", `services[0].digest: ${DIGEST} -> (removed)`]);
  });

  it("tag and digest together set both", () => {
    const { text, raw } = committed("staging");
    expect(setImage({ text, raw, image: `ghcr.io/leanvibe/agent-hive:1.4.2@${DIGEST}` }).changes).toEqual([
      "services[0].tag: 1.0.0 -> 1.4.2",
      `services[0].digest: (not set) -> ${DIGEST}`,
    ]);
  });

  it("a comment on the tag's own line survives", () => {
    const { text } = committed("staging");
    const commented = text.replace("      tag: 1.0.0\n", "      tag: 1.0.0 # the release in QA\n");
    const result = setImage({ text: commented, raw: rawOf("staging", commented), image: "ghcr.io/leanvibe/agent-hive:1.4.2" });
    expect(changedLines(commented, result.text)).toEqual(["      tag: 1.4.2 # the release in QA"]);
  });

  it("keeps a quoted tag quoted, and a service written as a flow map still gets a valid file", () => {
    const { text } = committed("staging");
    const quoted = text.replace("      tag: 1.0.0\n", '      tag: "1.0.0"\n');
    expect(changedLines(quoted, setImage({ text: quoted, raw: rawOf("staging", quoted), image: "ghcr.io/leanvibe/agent-hive:1.4" }).text)).toEqual(['      tag: "1.4"']);
    const flow = text.replace(
      / {4}- name: orchestrator\n[\s\S]*?stableServiceName: agent-hive-service\n/,
      "    - { name: orchestrator, image: ghcr.io/leanvibe/agent-hive, tag: 1.0.0, port: 8080, replicas: 2, stableServiceName: agent-hive-service }\n",
    );
    expect(flow).not.toBe(text);
    const result = setImage({ text: flow, raw: rawOf("staging", flow), image: `ghcr.io/leanvibe/agent-hive@${DIGEST}` });
    expect(JSON.parse(rawOf("staging", result.text).values["agent-hive-platform:services"])).toEqual([
      { name: "orchestrator", image: "ghcr.io/leanvibe/agent-hive", port: 8080, replicas: 2, stableServiceName: "agent-hive-service", digest: DIGEST },
    ]);
  });

  it("the image already pinned changes nothing", () => {
    const { text, raw } = committed("staging");
    const result = setImage({ text, raw, image: "ghcr.io/leanvibe/agent-hive:1.0.0" });
    expect(result.changes).toEqual([]);
    expect(result.text).toBe(text);
  });

  it.each([
    ["ghcr.io/someone-else/agent-hive:1.4.2", {}, /repository ghcr.io\/someone-else\/agent-hive is not configured for any service of stack staging \(orchestrator: ghcr.io\/leanvibe\/agent-hive\)/],
    ["ghcr.io/someone-else/agent-hive:1.4.2", { service: "orchestrator" }, /differs from ghcr.io\/leanvibe\/agent-hive, the one configured for service orchestrator/],
    ["ghcr.io/leanvibe/agent-hive:1.4.2", { service: "worker" }, /--service "worker" is not a service of stack staging: pick one of orchestrator/],
    ["ghcr.io/leanvibe/agent-hive:latest", {}, /tag "latest" moves with every build/],
    ["ghcr.io/leanvibe/agent-hive", {}, /has no tag or digest/],
  ])("refuses %s %j", (image, extra, message) => {
    const { text, raw } = committed("staging");
    expect(() => setImage({ text, raw, image, ...extra })).toThrow(message);
  });

  it("refuses a stack whose pipeline owns the image", () => {
    const { text } = committed("staging");
    const pipeline = text.replace("imageOwner: stack", "imageOwner: pipeline");
    expect(() => setImage({ text: pipeline, raw: rawOf("staging", pipeline), image: "ghcr.io/leanvibe/agent-hive:1.4.2" })).toThrow(
      /delivery\.imageOwner: pipeline: the pipeline sets the image \(kubectl argo rollouts set image\)/,
    );
  });

  it("refuses a stack file that is already invalid, naming the key, instead of rewriting it", () => {
    const { text } = committed("staging");
    const broken = text.replace("replicas: 2", "replicas: 0");
    expect(() => setImage({ text: broken, raw: rawOf("staging", broken), image: "ghcr.io/leanvibe/agent-hive:1.4.2" })).toThrow(/services\[0\]\.replicas/);
  });
});
