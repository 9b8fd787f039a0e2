import { PlanResource } from "./recorder";
import { PlanValue, SECRET_MARK } from "./redact";

/** The parts of a plan document the diff reads. */
export interface PlanDocument {
  readonly stack: string;
  readonly resources: readonly PlanResource[];
  /** Fingerprints of the stack file's secret config (of the public ciphertext, never the value). */
  readonly secretConfig?: Readonly<Record<string, string>>;
}

export type ChangeKind = "create" | "update" | "replace" | "delete";

export interface PropertyChange {
  readonly path: string;
  readonly before: PlanValue | undefined;
  readonly after: PlanValue | undefined;
}

export interface ResourceChange {
  readonly kind: ChangeKind;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: readonly PropertyChange[];
  /** Why this change needs attention: a protected or governing resource replaced or deleted. */
  readonly warning?: string;
  /** For a replacement: the properties that force it. */
  readonly replaceReasons?: readonly string[];
}

export interface StackDiff {
  readonly stack: string;
  /** A stack the base has no plan of (`new`) or the head has none of (`removed`), said so rather than shown as plain creates or deletes. */
  readonly lifecycle?: "new" | "removed";
  readonly changes: readonly ResourceChange[];
  readonly secretConfigChanges: readonly string[];
  readonly warnings: readonly string[];
}

// Properties whose change makes the provider replace the resource rather than
// update it: a Kubernetes object's identity, and the GitHub and random
// resources' ForceNew inputs.
const REPLACE_ON: { readonly match: (type: string) => boolean; readonly paths: readonly string[] }[] = [
  { match: (t) => t.startsWith("kubernetes:") && !t.startsWith("kubernetes:helm.sh/"), paths: ["apiVersion", "kind", "metadata.name", "metadata.namespace"] },
  { match: (t) => /^kubernetes:apps\/v1:(Deployment|StatefulSet|DaemonSet)$/.test(t), paths: ["spec.selector"] },
  { match: (t) => t === "kubernetes:core/v1:Secret", paths: ["type"] },
  // Another cluster: the provider is replaced, and with it everything it manages.
  { match: (t) => t === "pulumi:providers:kubernetes", paths: ["context", "kubeconfig", "cluster"] },
  { match: (t) => t === "pulumi:providers:github", paths: ["owner", "baseUrl"] },
  {
    match: (t) => t === "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts" || t === "github:index/repositoryDependabotSecurityUpdates:RepositoryDependabotSecurityUpdates",
    paths: ["repository"],
  },
  { match: (t) => t === "kubernetes:helm.sh/v3:Release", paths: ["name", "namespace"] },
  { match: (t) => t === "github:index/repositoryEnvironment:RepositoryEnvironment", paths: ["repository", "environment"] },
  { match: (t) => t === "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy", paths: ["repository", "environment"] },
  { match: (t) => t === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret", paths: ["repository", "environment", "secretName"] },
  { match: (t) => t === "github:index/actionsSecret:ActionsSecret", paths: ["repository", "secretName"] },
  { match: (t) => t === "github:index/branchProtection:BranchProtection", paths: ["repositoryId"] },
  { match: (t) => t === "github:index/repositoryFile:RepositoryFile", paths: ["repository", "file", "branch"] },
  { match: (t) => t.startsWith("random:"), paths: ["*"] },
];

/** Resources whose loss is never routine: protected ones, namespaces (everything inside goes too), GitHub governance. */
function guarded(r: PlanResource): string | undefined {
  if (r.options.protect) return "protected";
  if (r.type.startsWith("pulumi:providers:")) return "a provider: everything it manages is replaced with it";
  if (r.type === "kubernetes:core/v1:Namespace") return "a namespace: everything in it is deleted with it";
  if (r.type.startsWith("github:")) return "an approval or protection gate";
  return undefined;
}

function propertyChanges(before: PlanValue | undefined, after: PlanValue | undefined, path = ""): PropertyChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObj = (v: PlanValue | undefined): v is { [k: string]: PlanValue } => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => propertyChanges(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => propertyChanges(b, after[i], `${path}[${i}]`));
  }
  return [{ path: path || "(root)", before, after }];
}

function replaceReasons(type: string, changes: readonly PropertyChange[], replaceOnChanges: readonly string[]): string[] {
  const paths = [...REPLACE_ON.filter((r) => r.match(type)).flatMap((r) => r.paths), ...replaceOnChanges];
  return changes
    .map((c) => c.path)
    .filter((p) => paths.some((x) => x === "*" || p === x || p.startsWith(`${x}.`) || p.startsWith(`${x}[`)));
}

/** The aliases of a resource that name a previous URN. */
function previousUrns(r: PlanResource): string[] {
  return r.options.aliases.filter((a): a is string => typeof a === "string" && a.startsWith("urn:"));
}

/**
 * Compares two plans of one stack: what `pulumi preview` would report, from the
 * offline plans alone. A resource matches by URN, or by an alias that names its
 * old URN (a rename that keeps the resource).
 */
export function diffPlans(base: PlanDocument, head: PlanDocument): StackDiff {
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const matched = new Set<string>();
  const changes: ResourceChange[] = [];
  for (const h of head.resources) {
    const prior = baseByUrn.get(h.urn) ?? previousUrns(h).map((u) => baseByUrn.get(u)).find((r) => r !== undefined);
    if (!prior) {
      changes.push({ kind: "create", urn: h.urn, type: h.type, name: h.name, properties: [] });
      continue;
    }
    matched.add(prior.urn);
    const props = propertyChanges(prior.inputs, h.inputs);
    const optionChanges = propertyChanges(prior.options.protect, h.options.protect, "options.protect");
    if (props.length === 0 && optionChanges.length === 0) continue;
    const reasons = replaceReasons(h.type, props, h.options.replaceOnChanges);
    const why = guarded(prior);
    const unprotected = prior.options.protect && !h.options.protect;
    changes.push({
      kind: reasons.length > 0 ? "replace" : "update",
      urn: h.urn,
      type: h.type,
      name: h.name,
      properties: [...props, ...optionChanges],
      replaceReasons: reasons.length > 0 ? reasons : undefined,
      warning:
        reasons.length > 0 && why ? `replaces ${h.type} ${h.name} (${why}) because ${reasons.join(", ")} changed`
        : unprotected ? `removes protection from ${h.type} ${h.name}`
        : undefined,
    });
  }
  for (const b of base.resources) {
    if (matched.has(b.urn)) continue;
    const why = guarded(b);
    changes.push({ kind: "delete", urn: b.urn, type: b.type, name: b.name, properties: [], warning: why ? `deletes ${b.type} ${b.name} (${why})` : undefined });
  }
  const secretKeys = [...new Set([...Object.keys(base.secretConfig ?? {}), ...Object.keys(head.secretConfig ?? {})])].sort();
  const secretConfigChanges = secretKeys.filter((k) => base.secretConfig?.[k] !== head.secretConfig?.[k]);
  const order: Record<ChangeKind, number> = { replace: 0, delete: 1, update: 2, create: 3 };
  changes.sort((a, b) => order[a.kind] - order[b.kind] || a.urn.localeCompare(b.urn));
  return { stack: head.stack, changes, secretConfigChanges, warnings: changes.flatMap((c) => (c.warning ? [c.warning] : [])) };
}

/** A stack that only the head has: everything in it is created. */
export function newStack(head: PlanDocument): StackDiff {
  return { ...diffPlans({ stack: head.stack, resources: [] }, head), lifecycle: "new" };
}

/** A stack that only the base has: everything in it would be deleted. */
export function removedStack(base: PlanDocument): StackDiff {
  return { ...diffPlans(base, { stack: base.stack, resources: [] }), stack: base.stack, lifecycle: "removed" };
}

function counts(d: StackDiff): string {
  const n = (k: ChangeKind) => d.changes.filter((c) => c.kind === k).length;
  const parts = [`${n("create")} to create`, `${n("update")} to update`, `${n("replace")} to replace`, `${n("delete")} to delete`];
  if (d.secretConfigChanges.length > 0) parts.push(`${d.secretConfigChanges.length} secret config changed`);
  return parts.join(", ");
}

const LIFECYCLE = { new: "new stack, ", removed: "stack removed, " } as const;

/** One line per stack: what changes, and whether anything needs a second look. */
export function summaryLine(d: StackDiff): string {
  if (d.changes.length === 0 && d.secretConfigChanges.length === 0 && !d.lifecycle) return `${d.stack}: no changes`;
  return `${d.stack}: ${d.lifecycle ? LIFECYCLE[d.lifecycle] : ""}${counts(d)}${d.warnings.length > 0 ? `; ${d.warnings.length} WARNING${d.warnings.length === 1 ? "" : "S"}` : ""}`;
}

const show = (v: PlanValue | undefined): string => (v === undefined ? "(absent)" : v === SECRET_MARK ? "[secret]" : JSON.stringify(v));
const SYMBOL: Record<ChangeKind, string> = { create: "+", update: "~", replace: "+-", delete: "-" };

// Line breaks, other control characters, and bidirectional overrides (text that reads differently than it is).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const escapeUnprintable = (s: string): string =>
  s.replace(UNPRINTABLE, (c) => ({ "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * Config-derived text for the terminal or a CI log: one line, no control
 * characters (no escape sequences, no line that a CI runner reads as a command).
 */
export const plainText = (s: string): string => escapeUnprintable(s);

export function formatText(diffs: readonly StackDiff[]): string {
  const lines: string[] = [];
  for (const d of diffs) {
    lines.push(plainText(summaryLine(d)));
    for (const w of d.warnings) lines.push(`  !! WARNING: ${plainText(w)}`);
    for (const k of d.secretConfigChanges) lines.push(`  ~ secret config ${plainText(k)}: changed (value not shown)`);
    for (const c of d.changes) {
      lines.push(`  ${SYMBOL[c.kind].padEnd(2)} ${plainText(c.type)} ${plainText(c.name)}`);
      for (const p of c.properties) lines.push(`       ${plainText(p.path)}: ${plainText(show(p.before))} => ${plainText(show(p.after))}`);
    }
  }
  return lines.join("\n");
}

/** GitHub's limit on a comment body. */
export const COMMENT_LIMIT = 65_536;
export const COMMENT_MARKER = "<!-- agent-hive-platform:plan-diff -->";

// Characters with a meaning in GitHub Markdown, as entities: no HTML, no link or
// image (no brackets), no code span or table cell break, no emphasis or math.
const ENTITY: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "|": "&#124;",
  "`": "&#96;",
  "[": "&#91;",
  "]": "&#93;",
  "\\": "&#92;",
  "*": "&#42;",
  _: "&#95;",
  "~": "&#126;",
  $: "&#36;",
};
const ZWJ = "\u200d";

/**
 * Config-derived text for a pull-request comment, shown as it is and doing
 * nothing: safe in a table cell, a list item, a heading or bold text. HTML,
 * Markdown syntax and line breaks are escaped; a zero-width joiner after `@`,
 * before a `#<number>` and inside `://` and `www.` keeps GitHub from turning
 * them into mentions, issue references or links (it renders invisibly).
 */
export function markdownText(s: string): string {
  return escapeUnprintable(s)
    .replace(/@/g, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/[&<>|`[\]\\*_~$]/g, (c) => ENTITY[c])
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\b(www)\./gi, `$1${ZWJ}.`);
}

/** Config-derived text as inline code, escaped as markdownText. */
export const mdCode = (s: string): string => `<code>${markdownText(s)}</code>`;

/** A warning for the comment: the diff's own words, each config-derived part escaped. */
function markdownWarning(w: string): string {
  return `**${markdownText(w)}**`;
}

export function formatMarkdown(diffs: readonly StackDiff[], limit = COMMENT_LIMIT): string {
  const parts: string[] = [COMMENT_MARKER, "## Platform plan diff", "", ...diffs.map((d) => `- **${markdownText(summaryLine(d))}**`), ""];
  for (const d of diffs) {
    parts.push(`### ${markdownText(d.stack)}${d.lifecycle ? ` (${d.lifecycle === "new" ? "new stack" : "stack removed"})` : ""}`, "");
    if (d.warnings.length > 0) parts.push("> [!CAUTION]", ...d.warnings.map((w) => `> ${markdownWarning(w)}`), "");
    for (const k of d.secretConfigChanges) parts.push(`- secret config ${mdCode(k)} changed (value not shown)`);
    if (d.changes.length === 0) {
      parts.push(d.secretConfigChanges.length === 0 ? "No changes." : "", "");
      continue;
    }
    parts.push("| | type | name | changed properties |", "|---|---|---|---|");
    for (const c of d.changes) {
      const props = c.properties.map((p) => `${mdCode(p.path)}: ${markdownText(show(p.before))} → ${markdownText(show(p.after))}`).join("<br>");
      parts.push(`| ${c.kind} | ${mdCode(c.type)} | ${markdownText(c.name)} | ${props} |`);
    }
    parts.push("");
  }
  const body = parts.join("\n");
  if (body.length <= limit) return body;
  const note = "\n\n_… truncated: the diff exceeds GitHub's comment limit. Run `npm run diff` locally or see the job log for all of it._\n";
  // Summary and warnings come first, so what survives the cut is what matters most. The cut
  // falls between lines: a line cut in two could leave an entity or a table row half open.
  const cut = body.lastIndexOf("\n", limit - note.length);
  return body.slice(0, Math.max(cut, 0)) + note;
}

/** A committed record of one resource: its URN and what, changed, would replace it. */
export interface GoldenEntry {
  readonly urn: string;
  readonly type: string;
  readonly identity: { readonly [path: string]: PlanValue | undefined };
}

function valueAtPath(value: PlanValue | undefined, path: string): PlanValue | undefined {
  let cur: PlanValue | undefined = value;
  for (const key of path.split(".")) {
    if (cur === null || cur === undefined || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** The values whose change would make the provider replace the resource. */
export function identityOf(r: PlanResource): GoldenEntry {
  const paths = [...REPLACE_ON.filter((x) => x.match(r.type)).flatMap((x) => x.paths), ...r.options.replaceOnChanges];
  const identity: Record<string, PlanValue | undefined> = {};
  for (const p of paths) {
    if (p === "*") identity["*"] = r.inputs;
    else identity[p] = valueAtPath(r.inputs, p) ?? null;
  }
  return { urn: r.urn, type: r.type, identity };
}

/**
 * The replacement guard: every resource in the committed golden list must
 * still be in the plan (by URN, or by an alias naming it) with the same
 * identity. Anything else would delete or replace it; the messages say how to
 * keep it or how to record that the change is intended.
 */
export function guardReplacements(golden: readonly GoldenEntry[], resources: readonly PlanResource[]): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const byAlias = new Map(resources.flatMap((r) => previousUrns(r).map((u) => [u, r] as const)));
  const problems: string[] = [];
  for (const g of golden) {
    const now = byUrn.get(g.urn) ?? byAlias.get(g.urn);
    if (!now) {
      problems.push(`${g.urn} would be DELETED: keep it, give its new name an alias ({ aliases: ["${g.urn}"] }), or run npm run golden to record that the deletion is intended`);
      continue;
    }
    const current = identityOf(now).identity;
    const changed = Object.keys(g.identity).filter((k) => JSON.stringify(g.identity[k]) !== JSON.stringify(current[k]));
    if (changed.length > 0) {
      problems.push(`${g.urn} would be REPLACED (${changed.map((k) => `${k}: ${show(g.identity[k])} -> ${show(current[k])}`).join(", ")}): revert, or run npm run golden to record that the replacement is intended`);
    }
  }
  return problems;
}
