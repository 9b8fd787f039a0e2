import { describe, expect, it } from "vitest";
import { COMMENT_MARKER, PlanDocument, StackDiff, diffPlans, formatMarkdown, formatText, markdownText } from "../../stacks/offline/diff";
import { PlanResource } from "../../stacks/offline/recorder";
import { PlanValue } from "../../stacks/offline/redact";
import { cfg, loadStackDoc, planCommitted, planDoc } from "../support/stacks";

// The plan diff becomes a pull-request comment: every config-derived string in
// it must show as it is and do nothing (no HTML, mention, link, image, code
// span, table break, issue reference or math).

const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(document.cookie)</script>",
  "@octocat and @leanvibe/admins please approve",
  "[click me](https://evil.example/login)",
  "![pixel](https://evil.example/p.png)",
  "a|b|c",
  "`code` and ``more``",
  "line1\nline2\r\n| forged | row |",
  "&lt;already escaped&gt; &amp; &#64;",
  "fixes #123 and owner/repo#45",
  "www.evil.example and http://evil.example/x and <https://evil.example>",
  "$\\color{red}{\\text{approved}}$",
  "**bold** _em_ ~~strike~~ \\| backslash",
  "\u202eevil\u202c reversed",
  COMMENT_MARKER,
];

const resource = (name: string, type: string, inputs: PlanValue, protect = false): PlanResource => ({
  urn: `urn:pulumi:production::agent-hive-platform::${type}::${name}`,
  type,
  name,
  parent: null,
  custom: true,
  inputs,
  options: { protect, retainOnDelete: false, dependsOn: [], deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], aliases: [], provider: null, additionalSecretOutputs: [] },
});

/** A diff where every name, property path, value and secret key is hostile, with warnings for each. */
function hostileDiff(): StackDiff {
  const base: PlanDocument = {
    stack: "production",
    resources: HOSTILE.flatMap((h, i) => [
      resource(h, "kubernetes:core/v1:ConfigMap", { data: { [h]: `old-${i}` } }),
      resource(`${h}-ns`, "kubernetes:core/v1:Namespace", { metadata: { name: `old-${i}` } }, true),
      resource(`${h}-gone`, "github:index/branchProtection:BranchProtection", { pattern: h }),
    ]),
    secretConfig: Object.fromEntries(HOSTILE.map((h, i) => [`agent-hive-platform:${h}`, `a${i}`])),
  };
  const head: PlanDocument = {
    stack: "production",
    resources: HOSTILE.flatMap((h) => [resource(h, "kubernetes:core/v1:ConfigMap", { data: { [h]: h } }), resource(`${h}-ns`, "kubernetes:core/v1:Namespace", { metadata: { name: h } }, true)]),
    secretConfig: Object.fromEntries(HOSTILE.map((h, i) => [`agent-hive-platform:${h}`, `b${i}`])),
  };
  return diffPlans(base, head);
}

/** What GitHub shows for escaped text: entities decoded, zero-width joiners invisible. */
const rendered = (s: string): string =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\u200d/g, "");

/** Checks a comment body for anything a config string could have done. */
function expectInert(md: string): void {
  expect(md.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
  expect(md.split(COMMENT_MARKER).length).toBe(2);
  // Our own markup only: the marker, <code>, <br>, a blockquote's >, the CAUTION alert.
  const text = md
    .replace(COMMENT_MARKER, "")
    .replace(/<\/?code>|<br>/g, "")
    .replace(/^> \[!CAUTION\]$/gm, "")
    .replace(/^> /gm, "");
  expect(text).not.toMatch(/&(?!amp;|lt;|gt;|#\d+;)/); // every & starts an entity we wrote
  const bare = text.replace(/&(amp|lt|gt|#\d+);/g, " ");
  expect(bare).not.toMatch(/[<>`[\]$\\]/);
  expect(bare).not.toMatch(/@[A-Za-z0-9]/); // mentions
  expect(bare).not.toMatch(/#\d/); // issue references
  expect(bare).not.toMatch(/:\/\/|www\./i); // autolinks
  expect(bare).not.toMatch(/[\u202a-\u202e\u2066-\u2069\r]/);
  // Every table row has its four cells, whatever the cells hold.
  for (const line of md.split("\n").filter((l) => l.startsWith("|"))) expect(line.split("|").length, line).toBe(6);
}

describe("the plan diff as a pull-request comment", () => {
  it("escapes hostile names, property paths, values, warnings and secret keys", () => {
    const d = hostileDiff();
    expect(d.warnings.length).toBe(HOSTILE.length * 2);
    const md = formatMarkdown([d]);
    expectInert(md);
    // One table row per change: no value added a row or ended one.
    expect(md.split("\n").filter((l) => l.startsWith("|")).length).toBe(2 + d.changes.length);
  });

  it("shows each hostile string as it is once rendered", () => {
    for (const h of HOSTILE.filter((x) => !/[\n\r\u202a-\u202e]/.test(x))) expect(rendered(markdownText(h))).toBe(h);
    expect(rendered(markdownText("a\nb"))).toBe("a\\nb");
  });

  it("cuts a long comment between lines, never inside an escape or a row", () => {
    const md = formatMarkdown([hostileDiff()], 3000);
    expect(md.length).toBeLessThanOrEqual(3000);
    expect(md).toContain("truncated");
    const body = md.slice(0, md.indexOf("\n\n_… truncated"));
    expectInert(body);
    for (const line of body.split("\n")) expect(line, line).not.toMatch(/&#?[a-z0-9]*$/);
  });

  it("keeps the terminal and CI log output to one line per entry, without control characters", () => {
    const text = formatText([hostileDiff(), diffPlans({ stack: "s", resources: [] }, { stack: "s", resources: [resource("x\n::error::forged\u001b[31m", "kubernetes:core/v1:ConfigMap", {})] })]);
    expect(text).not.toMatch(/^::/m);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/);
    expect(text).toContain("x\\n::error::forged\\u001b[31m");
  });

  it("escapes hostile values that come from a real stack file", async () => {
    const doc = loadStackDoc("production");
    const hostile = "<img src=x onerror=alert(1)>@octocat|[x](https://evil.example)`";
    cfg(doc, "kubernetes").context = hostile;
    const d = diffPlans(await planCommitted("production"), await planDoc("production", doc));
    expect(d.changes.some((c) => c.properties.some((p) => JSON.stringify(p.after).includes("onerror")))).toBe(true);
    const md = formatMarkdown([d]);
    expectInert(md);
    expect(rendered(md)).toContain(JSON.stringify(hostile));
  });
});
