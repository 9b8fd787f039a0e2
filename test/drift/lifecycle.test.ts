import { describe, expect, it } from "vitest";
import { driftAction } from "../../stacks/drift/lifecycle";
import { driftMarker } from "../../stacks/drift/report";

const BOT = "github-actions[bot]";
const issue = (number: number, stack: string, login = BOT) => ({ number, body: `${driftMarker(stack)}\nbody`, author: { login } });

describe("one drift issue per stack", () => {
  it("opens one when a stack drifts and none is open", () => {
    expect(driftAction("staging", true, [], BOT)).toEqual({ action: "open" });
  });

  it("updates the open one instead of opening another", () => {
    expect(driftAction("staging", true, [issue(7, "staging")], BOT)).toEqual({ action: "update", issue: 7 });
  });

  it("closes it on the first clean run, and does nothing when clean with none open", () => {
    expect(driftAction("staging", false, [issue(7, "staging")], BOT)).toEqual({ action: "close", issue: 7 });
    expect(driftAction("staging", false, [], BOT)).toEqual({ action: "none" });
  });

  it("keeps to its own stack: production's issue is not staging's", () => {
    expect(driftAction("staging", false, [issue(8, "production")], BOT)).toEqual({ action: "none" });
    expect(driftAction("staging", true, [issue(8, "production")], BOT)).toEqual({ action: "open" });
  });

  it("ignores a marker pasted into someone else's issue, and uses the oldest of its own", () => {
    expect(driftAction("staging", false, [issue(3, "staging", "mallory")], BOT)).toEqual({ action: "none" });
    expect(driftAction("staging", true, [issue(12, "staging"), issue(9, "staging")], BOT)).toEqual({ action: "update", issue: 9 });
  });

  it("does not take a stack whose name starts with another's for it", () => {
    expect(driftAction("prod", true, [issue(4, "production")], BOT)).toEqual({ action: "open" });
  });
});
