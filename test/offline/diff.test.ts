import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COMMENT_LIMIT, COMMENT_MARKER, diffPlans, formatMarkdown, formatText, summaryLine } from "../../stacks/offline/diff";
import { writePlan } from "../../stacks/offline/write";
import { runCli, runCliInProcess } from "../support/cli";
import { ROOT, cfg, loadStackDoc, planCommitted, planDoc, rawFromDoc, tempProject } from "../support/stacks";
import { planStack } from "../../stacks/offline/run";

describe("plan diff", () => {
  it("says no changes on an unchanged tree", async () => {
    const plan = await planCommitted("production");
    const d = diffPlans(plan, plan);
    expect(d.changes).toEqual([]);
    expect(summaryLine(d)).toBe("production: no changes");
  });

  it("flags a rename of the production namespace as a replacement of a protected resource", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "namespace").name = "agent-hive-prod";
    const d = diffPlans(await planCommitted("production"), await planDoc("production", doc));
    expect(d.warnings).toContain('replaces kubernetes:core/v1:Namespace agent-hive-namespace (protected) because metadata.name changed');
    expect(summaryLine(d)).toMatch(/to replace.*WARNING/);
    expect(formatText([d])).toContain("!! WARNING: replaces kubernetes:core/v1:Namespace agent-hive-namespace (protected)");
  });

  it("shows a threshold change as a property change, not a replacement", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "slo").errorRatePerSecond = 0.2;
    const d = diffPlans(await planCommitted("production"), await planDoc("production", doc));
    expect(d.warnings).toEqual([]);
    const template = d.changes.find((c) => c.type === "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate");
    expect(template?.kind).toBe("update");
    expect(template?.properties.some((p) => String(p.after).includes("result[0] <= 0.2"))).toBe(true);
    expect(d.changes.find((c) => c.type.endsWith(":PrometheusRule"))?.kind).toBe("update");
  });

  it("warns loudly when a branch protection is removed", async () => {
    const base = await planCommitted("production");
    const head = { ...base, resources: base.resources.filter((r) => !r.type.endsWith(":BranchProtection")) };
    const d = diffPlans(base, head);
    expect(d.changes.find((c) => c.kind === "delete")?.type).toBe("github:index/branchProtection:BranchProtection");
    expect(d.warnings[0]).toMatch(/deletes github:index\/branchProtection:BranchProtection agent-hive-github-branch-main \(protected\)/);
  });

  it("shows a changed secret as changed and never its value", async () => {
    const doc = loadStackDoc("staging");
    const base = await planStack(rawFromDoc("staging", { config: { ...doc.config, "agent-hive-platform:slackWebhookAlerts": { secure: "v1:AAAA-old-ciphertext" } } }));
    const head = await planStack(rawFromDoc("staging", { config: { ...doc.config, "agent-hive-platform:slackWebhookAlerts": { secure: "v1:BBBB-new-ciphertext" } } }));
    const d = diffPlans(base, head);
    expect(d.secretConfigChanges).toEqual(["agent-hive-platform:slackWebhookAlerts"]);
    const text = formatText([d]) + formatMarkdown([d]);
    expect(text).toContain("secret config agent-hive-platform:slackWebhookAlerts: changed (value not shown)");
    expect(text).not.toMatch(/AAAA|BBBB/);
  });

  it("fits a pull-request comment: one marker, truncated with a note under GitHub's limit", async () => {
    const base = await planCommitted("production");
    const head = { ...base, resources: [] };
    const md = formatMarkdown([diffPlans(base, head)], 2000);
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
    expect(md.length).toBeLessThanOrEqual(2000);
    expect(md).toContain("truncated");
    expect(formatMarkdown([diffPlans(base, head)]).length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });
});

describe("npm run diff", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  // Production with its protected namespace renamed, planned as base (committed) and head (the
  // project as changed: its stack file is the one the head plan came from); made once, shared.
  let renamed: Promise<string> | undefined;
  const renamedProject = () =>
    (renamed ??= (async () => {
      const doc = loadStackDoc("production");
      cfg(doc, "namespace").name = "agent-hive-prod";
      const dir = tempProject({ production: doc });
      dirs.push(dir);
      writePlan(await planCommitted("production"), path.join(dir, "base"));
      expect((await runCliInProcess("stacks/offline/plan-cli.ts", ["--out", "head"], dir)).status).toBe(0);
      return dir;
    })());

  it("diffs plan directories, prints markdown, and exits 1 on a warning unless --warn-only", async () => {
    const dir = await renamedProject();
    const args = ["--base", "base", "--head", "head", "--format", "markdown", "--output", "diff.md"];
    const r = runCli("stacks/offline/diff-cli.ts", args, dir);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^diff: 1 warning: .*pass --warn-only to exit 0$/);
    expect(r.stdout).toContain("> [!CAUTION]");
    // The comment is still written: the workflow can post it and fail the check.
    expect(fs.readFileSync(path.join(dir, "diff.md"), "utf8")).toContain("**replaces kubernetes:core/v1:Namespace agent-hive-namespace (protected)");
    const warnOnly = runCli("stacks/offline/diff-cli.ts", [...args, "--warn-only"], dir);
    expect(warnOnly.stderr).toBe("");
    expect(warnOnly.status).toBe(0);
  });

  it("prints the changes as JSON for machines, with the same verdict", async () => {
    const dir = await renamedProject();
    const r = runCli("stacks/offline/diff-cli.ts", ["--base", "base", "--head", "head", "--format", "json"], dir);
    expect(r.status).toBe(1);
    const [d] = JSON.parse(r.stdout) as { stack: string; changes: { kind: string; type: string; name: string }[]; warnings: string[] }[];
    expect(d.stack).toBe("production");
    expect(d.changes.find((c) => c.type === "kubernetes:core/v1:Namespace")?.kind).toBe("replace");
    expect(d.warnings).toHaveLength(1);
    // Every resource in the namespace moves with it: each is a replacement, none an update.
    expect(d.changes.filter((c) => c.kind === "update").map((c) => c.type)).not.toContain("kubernetes:core/v1:ResourceQuota");
  });

  it("says no changes for a stack planned the same on both sides", async () => {
    const dir = tempProject({ production: loadStackDoc("production") });
    dirs.push(dir);
    const plan = await planCommitted("production");
    writePlan(plan, path.join(dir, "base"));
    writePlan(plan, path.join(dir, "head"));
    const r = runCli("stacks/offline/diff-cli.ts", ["--base", "base", "--head", "head"], dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("production: no changes");
  });

  it("plans a git revision as the base itself", () => {
    // HEAD is this checkout's last commit; the working tree may differ only by uncommitted edits.
    const r = runCli("stacks/offline/diff-cli.ts", ["--base", "HEAD", "--stack", "staging"], ROOT);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^staging: /m);
  });

  it("refuses a base that is neither", () => {
    const r = runCli("stacks/offline/diff-cli.ts", ["--base", "no-such-ref-or-dir"], ROOT);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("neither a directory of plans nor a git revision");
  });
});

describe("replacements the diff knows about", () => {
  it("warns that another cluster context replaces the provider and all it manages", async () => {
    const doc = loadStackDoc("production");
    cfg(doc, "kubernetes").context = "other-cluster";
    const d = diffPlans(await planCommitted("production"), await planDoc("production", doc));
    expect(d.warnings.join("\n")).toContain("replaces pulumi:providers:kubernetes kubernetes (a provider: everything it manages is replaced with it) because context changed");
  });
});
