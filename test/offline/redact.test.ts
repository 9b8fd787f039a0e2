import { describe, expect, it } from "vitest";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { redact } from "../../stacks/offline/redact";

describe("redact", () => {
  it("hides secrets wherever they are nested and marks unknowns", () => {
    const secret = { [rpc.specialSigKey]: rpc.specialSecretSig, value: "hunter2" };
    const out = redact({ a: [1, { b: secret }], c: rpc.unknownValue, d: "plain" });
    expect(out).toEqual({ a: [1, { b: "[secret]" }], c: "[computed]", d: "plain" });
    expect(JSON.stringify(out)).not.toContain("hunter2");
  });

  it("hides secret output values and keeps known plain ones", () => {
    const sig = rpc.specialOutputValueSig;
    expect(redact({ [rpc.specialSigKey]: sig, value: "x", secret: true })).toBe("[secret]");
    expect(redact({ [rpc.specialSigKey]: sig, value: "x" })).toBe("x");
    expect(redact({ [rpc.specialSigKey]: sig })).toBe("[computed]");
  });

  it("shows resource references as their URN", () => {
    expect(redact({ [rpc.specialSigKey]: rpc.specialResourceSig, urn: "urn:pulumi:s::p::t::n" })).toBe("urn:pulumi:s::p::t::n");
  });
});
