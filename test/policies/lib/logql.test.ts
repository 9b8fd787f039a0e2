import { describe, expect, it } from "vitest";
import { logqlErrors } from "../../../policies/lib/logql";

const UNBOUNDED = /a stream selector has no matcher that excludes the empty value/;

describe("logqlErrors: what Loki would refuse", () => {
  it.each([
    ['{namespace="agent-hive-production", revision=~"$revision"}'],
    ['{namespace=~"api$"}'],
    ['{namespace=~".+"}'],
    ["{app=`agent-hive`}"],
    ['sum(count_over_time({namespace="x"} |= "error" [5m]))'],
  ])("accepts %s", (q) => {
    expect(logqlErrors(q)).toEqual([]);
  });

  it.each([
    ['{revision=~"$revision"}', UNBOUNDED],
    ['{revision=~"${revision}"}', UNBOUNDED],
    ['{namespace=~".*"}', UNBOUNDED],
    ['{namespace!="x"}', UNBOUNDED],
    ['{namespace=""}', UNBOUNDED],
    ['{namespace="x"', /syntax error/],
    ["", /empty query/],
  ])("refuses %s", (q, says) => {
    expect(logqlErrors(q)).toEqual([expect.stringMatching(says)]);
  });
});
