import { describe, expect, it } from "vitest";
import { REVIEW_LABEL, expiredReviewStacks, reviewAction } from "../../stacks/review/lifecycle";

const pr = (action: string, over: Partial<{ state: "open" | "closed"; labels: string[]; fork: boolean }> = {}) => ({
  action,
  number: 7,
  state: over.state ?? ("open" as const),
  labels: over.labels ?? [REVIEW_LABEL],
  fork: over.fork ?? false,
});

describe("a pull request's review environment", () => {
  it("is deployed when labelled, and again on each push and on reopening", () => {
    for (const a of ["labeled", "synchronize", "reopened", "opened"]) expect(reviewAction(pr(a))).toEqual({ action: "deploy", stack: "review-7" });
  });

  it("is destroyed when the pull request closes or loses the label", () => {
    expect(reviewAction(pr("closed", { state: "closed" }))).toEqual({ action: "destroy", stack: "review-7" });
    expect(reviewAction(pr("unlabeled", { labels: [] }))).toEqual({ action: "destroy", stack: "review-7" });
  });

  it("is never made for a fork, label or not, and a fork's events never reach the credentials", () => {
    const skip = { action: "skip", reason: "pull request #7 comes from a fork: no review environment (its code would run with the credentials)" };
    expect(reviewAction(pr("labeled", { fork: true }))).toEqual(skip);
    expect(reviewAction(pr("closed", { state: "closed", fork: true }))).toEqual(skip);
  });

  it("is not made without the label, and another label's removal does not destroy it", () => {
    expect(reviewAction(pr("synchronize", { labels: ["bug"] }))).toEqual({ action: "skip", reason: `pull request #7 has no ${REVIEW_LABEL} label` });
    expect(reviewAction(pr("unlabeled"))).toEqual({ action: "skip", reason: "nothing to do on unlabeled" });
  });
});

describe("the sweep of review stacks", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const stacks = [
    { name: "org/agent-hive-platform/review-7", lastUpdate: "2026-11-30T10:00:00Z" },
    { name: "review-8", lastUpdate: "2026-11-26T11:59:00Z" },
    { name: "review-9" },
    { name: "staging", lastUpdate: "2020-01-01T00:00:00Z" },
    { name: "production" },
  ];

  it("destroys review stacks whose pull request is gone or unlabelled, or past the TTL, and never another stack", () => {
    expect(expiredReviewStacks(stacks, [7, 8], now, 72)).toEqual([
      { stack: "review-8", reason: "last updated 2026-11-26T11:59:00Z, more than 72 h ago" },
      { stack: "review-9", reason: `pull request #9 is closed or no longer labelled ${REVIEW_LABEL}` },
    ]);
  });

  it("keeps a fresh one of an open, labelled pull request", () => {
    expect(expiredReviewStacks(stacks, [7, 8, 9], now, 24 * 365)).toEqual([]);
  });
});
