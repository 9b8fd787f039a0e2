import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { driftMarker } from "../../stacks/drift/report";
import { runCli } from "../support/cli";
import { ROOT } from "../support/stacks";

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string };
type Job = { environment?: string; permissions?: Record<string, string>; strategy?: unknown; steps: Step[]; concurrency?: unknown };
const wf = parse(fs.readFileSync(path.join(ROOT, ".github/workflows/platform-drift.yml"), "utf8")) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };
const FIXTURES = path.join(ROOT, "test/drift/fixtures");
const CLI = "stacks/drift/drift-cli.ts";

describe("the drift workflow (platform-drift.yml)", () => {
  const job = wf.jobs.drift;
  const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? "")).join("\n");

  it("runs on a schedule and by hand, for every stack the stack files list, each under the preview job's gated environment", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(wf.permissions).toEqual({ contents: "read" });
    expect(wf.jobs.stacks.steps.map((s) => s.run ?? "").join("\n")).toContain("npm run -s release -- stacks)");
    expect(job.strategy).toEqual({ "fail-fast": false, matrix: { include: "${{ fromJSON(needs.stacks.outputs.include) }}" } });
    expect(job.environment).toBe("preview");
    expect(job.permissions).toEqual({ contents: "read", issues: "write" });
  });

  it("never applies anything: a refresh only with --preview-only, no up, destroy, import or --yes, and the action only installs the CLI", () => {
    const pulumiLines = runs.split("\n").filter((l) => /\bpulumi (refresh|up|update|destroy|import|state|stack)\b/.test(l));
    expect(pulumiLines).toHaveLength(1);
    expect(pulumiLines[0]).toMatch(/^\s*pulumi refresh .*--preview-only/);
    expect(runs).not.toMatch(/--yes|--skip-preview|\bpulumi (up|update|destroy|import)\b/);
    const action = job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(action).toHaveLength(1);
    expect(action[0].with).toBeUndefined();
  });

  it("reports through the drift CLI and opens, updates or closes the issue it decides on; Slack only on drift", () => {
    expect(runs).toMatch(/npm run -s drift -- report --stack "\$STACK"/);
    expect(runs).toMatch(/npm run -s drift -- decide --stack "\$STACK"/);
    for (const a of ["gh issue create", "gh issue edit", "gh issue close"]) expect(runs).toContain(a);
    const slack = job.steps.find((s) => s.run?.includes("SLACK_WEBHOOK"));
    expect(slack?.if).toBe("steps.report.outputs.drifted != '0'");
    expect(slack?.env?.SLACK_WEBHOOK).toBe("${{ secrets.SLACK_WEBHOOK }}");
  });
});

describe("npm run drift", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-cli-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("report: counts the recorded drift, writes the body, and prints no value", () => {
    const body = path.join(dir, "body.md");
    const args = ["report", "--stack", "staging", "--refresh", path.join(FIXTURES, "refresh-drift.json"), "--preview", path.join(FIXTURES, "preview-clean.json"), "--run-url", "https://example.invalid/run", "--body", body];
    const r = runCli(CLI, args, ROOT);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ drifted: 2, title: "Drift in stack staging" });
    const text = fs.readFileSync(body, "utf8");
    expect(text).toContain(driftMarker("staging"));
    // The recorded drift is the quota's pods, 40 -> 99: neither value may show.
    expect(`${text}${r.stdout}`).not.toMatch(/\b(40|99)\b/);
  });

  it("report: refuses engine output that is not JSON, naming the file", () => {
    const bad = path.join(dir, "partial.json");
    fs.writeFileSync(bad, '{"steps": [');
    const r = runCli(CLI, ["report", "--stack", "staging", "--refresh", bad, "--preview", bad, "--run-url", "u", "--body", path.join(dir, "b.md")], ROOT);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`${bad} is not JSON (pulumi refresh --json): did the pulumi command fail before printing it? See its log`);
  });

  it("decide: reads gh's issue list and says what to do", () => {
    const issues = path.join(dir, "issues.json");
    fs.writeFileSync(issues, JSON.stringify([{ number: 5, body: `${driftMarker("staging")}\n…`, author: { login: "app/github-actions" } }]));
    const decide = (n: string) => JSON.parse(runCli(CLI, ["decide", "--stack", "staging", "--drifted", n, "--issues", issues, "--bot", "app/github-actions"], ROOT).stdout);
    expect(decide("0")).toEqual({ action: "close", issue: 5 });
    expect(decide("3")).toEqual({ action: "update", issue: 5 });
  });
});
