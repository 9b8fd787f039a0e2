import { REVIEW_STACK, reviewStack } from "./stack-file";

/** The label that asks for a review environment. */
export const REVIEW_LABEL = "review-env";

/** What the pull_request event says, as the workflow passes it. */
export interface PullRequestEvent {
  readonly action: string;
  readonly number: number;
  readonly state: "open" | "closed";
  readonly labels: readonly string[];
  /** The head repository is not this one: a fork's code never gets credentials. */
  readonly fork: boolean;
}

export type ReviewAction = { readonly action: "deploy" | "destroy"; readonly stack: string } | { readonly action: "skip"; readonly reason: string };

/**
 * One pull request event: a labelled, open pull request from this repository
 * gets its stack deployed (on the label, each push, a reopen); a closed or
 * unlabelled one gets it destroyed. Forks never get one, whatever the label.
 */
export function reviewAction(e: PullRequestEvent): ReviewAction {
  const stack = reviewStack(e.number);
  const labelled = e.labels.includes(REVIEW_LABEL);
  // Before anything else: a fork's pull request never had one, and its events get no credentials.
  if (e.fork) return { action: "skip", reason: `pull request #${e.number} comes from a fork: no review environment (its code would run with the credentials)` };
  if (e.action === "closed" || (e.action === "unlabeled" && !labelled)) return { action: "destroy", stack };
  if (!labelled) return { action: "skip", reason: `pull request #${e.number} has no ${REVIEW_LABEL} label` };
  if (e.state !== "open") return { action: "skip", reason: `pull request #${e.number} is not open` };
  if (["labeled", "opened", "synchronize", "reopened"].includes(e.action)) return { action: "deploy", stack };
  return { action: "skip", reason: `nothing to do on ${e.action}` };
}

/** A stack as `pulumi stack ls --json` lists it. */
export interface ListedStack {
  readonly name: string;
  readonly lastUpdate?: string;
}

/**
 * The sweep: review stacks to destroy because their pull request is no longer
 * open and labelled, or their last update is older than the TTL. Other stacks
 * are never touched; a review stack never updated is judged by its PR alone.
 */
export function expiredReviewStacks(stacks: readonly ListedStack[], openLabelled: readonly number[], now: Date, ttlHours: number): { stack: string; reason: string }[] {
  return stacks.flatMap((s) => {
    const name = s.name.split("/").pop() ?? s.name;
    const m = REVIEW_STACK.exec(name);
    if (!m) return [];
    const pr = Number(m[1]);
    if (!openLabelled.includes(pr)) return [{ stack: name, reason: `pull request #${pr} is closed or no longer labelled ${REVIEW_LABEL}` }];
    const last = s.lastUpdate ? Date.parse(s.lastUpdate) : NaN;
    if (!Number.isNaN(last) && now.getTime() - last > ttlHours * 3_600_000) return [{ stack: name, reason: `last updated ${s.lastUpdate}, more than ${ttlHours} h ago` }];
    return [];
  });
}
