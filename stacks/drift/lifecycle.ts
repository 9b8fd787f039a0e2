import { driftMarker } from "./report";

/** An open issue as `gh issue list --json number,body,author` gives it. */
export interface OpenIssue {
  readonly number: number;
  readonly body: string;
  readonly author?: { readonly login: string };
}

/** What the drift workflow does with the stack's issue after a run. */
export type DriftAction = { readonly action: "open" } | { readonly action: "update" | "close"; readonly issue: number } | { readonly action: "none" };

/**
 * One issue per stack, found by its marker among the open issues the workflow's
 * own token wrote (anyone can paste a marker into an issue of their own):
 * drift opens it or updates it, a clean run closes it, and a clean run with
 * no issue does nothing. Several marked issues (opened by hand, or a race)
 * are all kept up to date through the oldest; the others are left to people.
 */
export function driftAction(stack: string, drifted: boolean, open: readonly OpenIssue[], bot: string): DriftAction {
  const mine = open.filter((i) => i.body.includes(driftMarker(stack)) && (i.author === undefined || i.author.login === bot)).sort((a, b) => a.number - b.number);
  const oldest = mine[0];
  if (drifted) return oldest ? { action: "update", issue: oldest.number } : { action: "open" };
  return oldest ? { action: "close", issue: oldest.number } : { action: "none" };
}
