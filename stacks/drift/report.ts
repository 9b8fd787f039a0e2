import { markdownText, mdCode } from "../offline/diff";

/**
 * Drift of one stack, read from the engine's own JSON: `pulumi refresh
 * --preview-only --json` (the cluster or GitHub changed under Pulumi) and
 * `pulumi preview --expect-no-changes --json` (the program and config differ
 * from what was last applied). Only property paths are reported, never
 * values: a drifted value may be a secret.
 */

/** The part of the engine's `--json` output read here (pulumi 3.248.0; recorded in test/drift/fixtures/). */
export interface EngineJson {
  readonly steps?: readonly { readonly op: string; readonly urn: string; readonly detailedDiff?: Readonly<Record<string, unknown>> | null }[];
}

export type DriftSource = "outside" | "program";

export interface Drifted {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** outside: changed under Pulumi (refresh); program: the code or config differs from the last update (preview). */
  readonly source: DriftSource;
  readonly change: string;
  readonly paths: readonly string[];
}

// What each step means for the user. A refresh reports a live change as "update" and a vanished resource as
// "delete"; its unchanged resources are "refresh" (or "same"). A preview's ops are the changes `pulumi up` would make.
const REFRESH: Record<string, string> = { update: "changed outside Pulumi", delete: "deleted outside Pulumi" };
const PREVIEW: Record<string, string> = {
  create: "to create",
  update: "to update",
  delete: "to delete",
  replace: "to replace",
  "create-replacement": "to replace",
  "delete-replaced": "to replace",
  import: "to import",
};

function fromSteps(json: EngineJson, source: DriftSource, meaning: Record<string, string>): Drifted[] {
  const seen = new Set<string>();
  return (json.steps ?? []).flatMap((s) => {
    const change = meaning[s.op];
    if (change === undefined || seen.has(s.urn)) return [];
    seen.add(s.urn);
    const [type, name] = typeAndName(s.urn);
    return [{ urn: s.urn, type, name, source, change, paths: Object.keys(s.detailedDiff ?? {}).sort() }];
  });
}

/** A URN's type and name: `urn:pulumi:<stack>::<project>::<parent types$>type::name`. */
export function typeAndName(urn: string): [string, string] {
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  return [types.slice(types.lastIndexOf("$") + 1), parts.slice(3).join("::")];
}

/** Everything that drifted, outside changes first. */
export function driftOf(refresh: EngineJson, preview: EngineJson): Drifted[] {
  return [...fromSteps(refresh, "outside", REFRESH), ...fromSteps(preview, "program", PREVIEW)];
}

/** Finds a stack's drift issue again (the title may be edited by people). */
export const driftMarker = (stack: string) => `<!-- agent-hive-platform:drift:${stack} -->`;
export const driftTitle = (stack: string) => `Drift in stack ${stack}`;

/** GitHub's limit on an issue body. */
const BODY_LIMIT = 65_536;


/** The issue body: what drifted, where to look, and how to resolve it. Never a value. */
export function issueBody(stack: string, drifted: readonly Drifted[], runUrl: string, limit = BODY_LIMIT): string {
  const head = [
    driftMarker(stack),
    `**${drifted.length} resource${drifted.length === 1 ? "" : "s"}** of stack ${mdCode(stack)} drifted ([the run](${runUrl})).`,
    "",
    "- *changed/deleted outside Pulumi*: the live resource differs from the state (`pulumi refresh --preview-only`). Run `pulumi up` to put back what the program says, or change the program to keep it.",
    "- *to create/update/...*: the program and config differ from the last update (`pulumi preview --expect-no-changes`). A merged change that did not deploy: check the deploy run.",
    "",
    "This issue is updated by each scheduled drift run and closed by the first clean one. Values are never shown.",
    "",
    "| resource | type | what | properties |",
    "| --- | --- | --- | --- |",
  ];
  const rows = drifted.map((d) => `| ${markdownText(d.name)} | ${mdCode(d.type)} | ${d.change} | ${d.paths.map(mdCode).join(", ") || "—"} |`);
  const lines = [...head];
  for (const [i, row] of rows.entries()) {
    const rest = ["", `…and ${rows.length - i} more: see the run.`];
    if ([...lines, row, ...rest].join("\n").length > limit) {
      lines.push(...rest);
      break;
    }
    lines.push(row);
  }
  return lines.join("\n");
}
