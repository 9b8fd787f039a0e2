import type { StackDiff } from "../../stacks/offline/diff";

/** What happens to one resource, in the words both tools share. */
export type Change = "create" | "update" | "replace" | "delete";

/** The part of `pulumi preview --json` read here: one step per resource the engine visited. */
export interface PreviewJson {
  readonly steps?: readonly { readonly op: string; readonly urn: string }[];
}

/**
 * The engine's verdict per URN. A replacement shows as up to three steps
 * (`replace`, `create-replacement`, `delete-replaced`): one "replace". Steps
 * that change nothing (`same`, `read`, `refresh`, `discard`) are left out.
 */
export function engineChanges(preview: PreviewJson): Map<string, Change> {
  const byOp: Record<string, Change> = {
    create: "create",
    update: "update",
    delete: "delete",
    replace: "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
  };
  const changes = new Map<string, Change>();
  for (const step of preview.steps ?? []) {
    const change = byOp[step.op];
    if (change === undefined) continue;
    const prior = changes.get(step.urn);
    // A replacement's delete-replaced step does not make it a delete.
    changes.set(step.urn, prior === "replace" ? prior : change);
  }
  return changes;
}

/** `npm run diff -- --format json`'s verdict per URN. */
export function offlineChanges(diffs: readonly StackDiff[]): Map<string, Change> {
  return new Map(diffs.flatMap((d) => d.changes.map((c) => [c.urn, c.kind] as const)));
}

/** Every URN the two tools disagree on: changed by only one, or changed differently. Empty when they agree. */
export function parityProblems(engine: ReadonlyMap<string, Change>, offline: ReadonlyMap<string, Change>): string[] {
  const urns = [...new Set([...engine.keys(), ...offline.keys()])].sort();
  return urns.flatMap((urn) => {
    const e = engine.get(urn);
    const o = offline.get(urn);
    if (e === o) return [];
    return [`${urn}: pulumi preview says ${e ?? "no change"}, npm run diff says ${o ?? "no change"}`];
  });
}
