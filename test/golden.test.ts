import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GoldenEntry, guardReplacements } from "../stacks/offline/diff";
import { DEFAULT_STACKS, ROOT, cfg, loadStackDoc, planCommitted, planDoc } from "./support/stacks";

const goldenFile = (stack: string) => path.join(ROOT, "test", "golden", `${stack}.json`);
const golden = (stack: string) => JSON.parse(fs.readFileSync(goldenFile(stack), "utf8")) as GoldenEntry[];

// A stack that was never deployed has nothing to replace: it gets its golden
// list (npm run golden) when it first goes live.
describe.each(DEFAULT_STACKS.filter((s) => fs.existsSync(goldenFile(s))))("replacement guard for %s", (stack) => {
  it("deletes and replaces nothing in the committed golden list", async () => {
    expect(guardReplacements(golden(stack), (await planCommitted(stack)).resources)).toEqual([]);
  });
});

describe("the guard itself", () => {
  it("catches a rename of the production namespace as a replacement of the protected namespace", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "namespace").name = "agent-hive-prod";
    const problems = guardReplacements(golden("production"), (await planDoc("production", doc)).resources);
    expect(problems.join("\n")).toMatch(/Namespace::agent-hive-namespace would be REPLACED \(metadata\.name: "agent-hive-production" -> "agent-hive-prod"\)/);
  });

  it("catches a removed branch protection as a deletion", async () => {
    const resources = (await planCommitted("production")).resources.filter((r) => !r.type.endsWith(":BranchProtection"));
    expect(guardReplacements(golden("production"), resources).join("\n")).toMatch(/BranchProtection::agent-hive-github-branch-main would be DELETED/);
  });

  it("accepts a rename that carries an alias to the old URN", async () => {
    const plan = await planCommitted("production");
    const [ns] = plan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && r.urn.includes("Environment"));
    const renamed = { ...ns, urn: ns.urn.replace("::agent-hive-namespace", "::environment-namespace"), options: { ...ns.options, aliases: [ns.urn] } };
    expect(guardReplacements(golden("production"), plan.resources.map((r) => (r === ns ? renamed : r)))).toEqual([]);
  });
});
