import { describe, expect, it } from "vitest";
import { Quantity, addQuantities, compareQuantities, formatQuantity, parseQuantity, scaleQuantity } from "../../stacks/config/quantity";

const q = (text: string): Quantity => {
  const parsed = parseQuantity(text);
  if (parsed === undefined) throw new Error(`not a quantity: ${text}`);
  return parsed;
};
const cmp = (a: string, b: string) => compareQuantities(q(a), q(b));

describe("Kubernetes quantities, exactly", () => {
  it.each([
    ["1Gi", "1073741824"],
    ["1.5Gi", "1536Mi"],
    ["500m", "0.5"],
    [".5", "500m"],
    ["1.", "1"],
    ["+1", "1"],
    ["1k", "1000"],
    ["1e3", "1k"],
    ["1E3", "1000"],
    ["1E", "1e18"],
    ["1Ei", "1152921504606846976"],
    ["1M", "1e6"],
    ["1000u", "1m"],
    ["1000n", "1u"],
    ["2.50", "2500m"],
    ["0", "0m"],
    ["12e-2", "120m"],
  ])("%s equals %s", (a, b) => {
    expect(cmp(a, b)).toBe(0);
  });

  it.each([
    ["1G", "1Gi"],
    ["100m", "0.1001"],
    ["2", "2.0000001"],
    ["4Gi", "5000Mi"],
    ["512Mi", "1e9"],
    ["976Ki", "1M"],
    ["1M", "977Ki"],
    ["1e-1000", "1n"],
    ["0", "1n"],
    ["1e999", "1e1000"],
    ["9223372036854775807", "9223372036854775808"],
  ])("%s is less than %s", (a, b) => {
    expect(cmp(a, b)).toBe(-1);
    expect(cmp(b, a)).toBe(1);
  });

  it("refuses text that is not a quantity, and exponents beyond 1000", () => {
    for (const bad of ["", "Gi", "1 Gi", "-1", "1gi", "1KiB", "1e", "0x10", "1e1001", "1.2.3"]) expect(parseQuantity(bad), bad).toBeUndefined();
  });

  it("adds and scales exactly", () => {
    expect(cmp(formatQuantity(addQuantities(q("100m"), q("1.9"))), "2")).toBe(0);
    expect(formatQuantity(scaleQuantity(q("256Mi"), 20))).toBe("5Gi");
    expect(formatQuantity(scaleQuantity(q("250m"), 20), "cpu")).toBe("5");
    expect(formatQuantity(scaleQuantity(q("100m"), 3), "cpu")).toBe("300m");
    expect(formatQuantity(q("1e-5"))).toBe("1e-5");
    expect(() => scaleQuantity(q("1"), 1.5)).toThrow(RangeError);
  });
});
