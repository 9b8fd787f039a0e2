import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as vm from "node:vm";
import { describe, expect, it } from "vitest";
import { plainStack, sdkAwarePrepare } from "../stacks/sdk-stack-captures";
import { ROOT } from "./support/stacks";

type Frames = NodeJS.CallSite[];

/** The error and the real call sites of `new Error(message)` taken in code that V8 believes is in `file`. */
function captureIn(file: string, message = ""): { error: Error; frames: Frames } {
  const take = vm.runInThisContext(`(function take(message) { return new Error(message); })`, { filename: file }) as (m: string) => Error;
  const prepare = Error.prepareStackTrace;
  let frames: Frames = [];
  Error.prepareStackTrace = (_e, f) => {
    frames = f;
    return "";
  };
  try {
    const error = take(message);
    void error.stack;
    return { error, frames };
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

const SDK = path.join(ROOT, "node_modules", "@pulumi", "pulumi");
const fallback = (error: Error) => `fallback: ${error.message}`;

describe("the SDK's stack captures (stacks/sdk-stack-captures.ts)", () => {
  it("a promise's capture keeps its frames and becomes V8's text only when read as text", () => {
    const { error, frames } = captureIn(path.join(SDK, "runtime", "debuggable.js"));
    const trace = sdkAwarePrepare(fallback)(error, frames);
    expect(typeof trace).toBe("object");
    expect(`${trace as string}`).toBe(plainStack(error, frames));
    expect(String(trace)).toMatch(/^Error\n {4}at take \(.*debuggable\.js:1:\d+\)\n/);
  });

  it("a resource's capture is text at once (the SDK splits it into lines), never handed to the mapping fallback", () => {
    const { error, frames } = captureIn(path.join(SDK, "resource.js"));
    expect(sdkAwarePrepare(fallback)(error, frames)).toBe(plainStack(error, frames));
  });

  it("every other error goes to the fallback: another file, or an SDK error with a message", () => {
    const other = captureIn(path.join(ROOT, "infra", "delivery", "component.js"));
    expect(sdkAwarePrepare(fallback)(other.error, other.frames)).toBe("fallback: ");
    const thrown = captureIn(path.join(SDK, "runtime", "debuggable.js"), "a real failure");
    expect(sdkAwarePrepare(fallback)(thrown.error, thrown.frames)).toBe("fallback: a real failure");
    expect(sdkAwarePrepare()(thrown.error, thrown.frames)).toBe(plainStack(thrown.error, thrown.frames));
  });

  it("writes an error's first line as V8 does, with Error.prototype.toString, whatever the error's own toString says", () => {
    const { frames } = captureIn(path.join(ROOT, "infra", "delivery", "component.js"));
    const error = Object.assign(new TypeError("boom"), { toString: () => "custom" });
    expect(plainStack(error, frames).split("\n")[0]).toBe("TypeError: boom");
    expect(plainStack(Object.create(Error.prototype) as Error, []).split("\n")[0]).toBe("Error");
  });

  // The real SDK under the loader, as `npm run plan` runs it: the leak report reads the trace as
  // text and gets what Node itself writes; with source maps asked for, Node keeps every trace.
  describe("under stacks/loader.cjs", () => {
    const script = [
      `const d = require("@pulumi/pulumi/runtime/debuggable.js");`,
      `const p = Promise.resolve(1);`,
      `d.debuggablePromise(p, "ctx");`,
      `console.log(JSON.stringify({ type: typeof p._debugStackTrace, report: d.promiseDebugString(p) }));`,
    ].join("\n");
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [...args, "-e", script], { cwd: ROOT, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { type: string; report: string };
    };
    const loader = path.join(ROOT, "stacks", "loader.cjs");

    it("a promise's trace is deferred, and reads as the same text Node gives without the loader", () => {
      const withLoader = run(["-r", loader]);
      const bare = run([]);
      expect(withLoader.type).toBe("object");
      expect(bare.type).toBe("string");
      expect(withLoader.report).toBe(bare.report);
      expect(withLoader.report).toMatch(/^CONTEXT\(0\): ctx\nSTACK_TRACE:\nError\n {4}at Object\.debuggablePromise \(.*debuggable\.js:\d+:\d+\)\n {4}at \[eval\]/);
    });

    it("with --enable-source-maps the loader leaves every trace to Node", () => {
      expect(run(["--enable-source-maps", "-r", loader]).type).toBe("string");
    });
  });
});
