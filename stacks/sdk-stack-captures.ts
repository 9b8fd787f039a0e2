/**
 * The Pulumi SDK's own stack captures, made cheap. Installed by stacks/loader.cjs (the offline
 * commands) and by vitest's setup (test/support/sdk-stack-traces.ts); `pulumi up` loads neither.
 *
 * `@pulumi/pulumi` 3.248 takes `new Error().stack` for every promise it tracks
 * (`debuggablePromise`: about 3,000 per stack planned) and an unbounded one for every resource
 * (`Resource.stackTrace`), and has no switch for either. What reads them:
 * - a promise's trace only in the SDK's leak report (`promiseDebugString`), which interpolates it
 *   into a string at the process's exit, and only when a promise leaked;
 * - a resource's trace at once: the SDK splits it into lines for the resource's source position.
 * So a promise's trace keeps its frames and becomes text only when something reads it as text
 * (the text V8 would have made); a resource's is formatted plainly, never mapped through source
 * maps. Every other error is left to the fallback.
 */
type Prepare = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const MARK = Symbol.for("agent-hive.sdk-stack-captures");
const PROMISE_CAPTURE = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;
const RESOURCE_CAPTURE = /[\\/]@pulumi[\\/]pulumi[\\/]resource\.js$/;

/** V8's own format: what an unset `Error.prepareStackTrace` gives (its header is Error.prototype.toString's, as Node's). */
export const plainStack = (error: Error, frames: readonly NodeJS.CallSite[]): string =>
  `${Error.prototype.toString.call(error)}${frames.map((frame) => `\n    at ${String(frame)}`).join("")}`;

/** Which of the SDK's two captures this is: `new Error()` with no message, taken in their file. */
function sdkCapture(error: Error, frames: readonly NodeJS.CallSite[]): "promise" | "resource" | undefined {
  if (frames.length === 0 || error.message !== "" || error.name !== "Error") return undefined;
  const file = frames[0].getFileName() ?? "";
  if (PROMISE_CAPTURE.test(file)) return "promise";
  return RESOURCE_CAPTURE.test(file) ? "resource" : undefined;
}

/** A promise's trace: its frames, made into V8's text the first time it is read as text. */
function deferredStack(error: Error, frames: readonly NodeJS.CallSite[]): object {
  let text: string | undefined;
  const format = (): string => (text ??= plainStack(error, frames));
  return { toString: format, [Symbol.toPrimitive]: format };
}

/**
 * An `Error.prepareStackTrace` under which the SDK's captures are cheap and every other error is
 * formatted by `fallback` (V8's plain format without one).
 */
export function sdkAwarePrepare(fallback?: Prepare): Prepare {
  return (error, frames) => {
    const capture = sdkCapture(error, frames);
    if (capture === "promise") return deferredStack(error, frames);
    return capture === "resource" || fallback === undefined ? plainStack(error, frames) : fallback(error, frames);
  };
}

/** Installs `sdkAwarePrepare(fallback)` as `Error.prepareStackTrace`. A second install keeps the first. */
export function installSdkStackCaptures(fallback?: Prepare): void {
  if ((Error.prepareStackTrace as { [MARK]?: true } | undefined)?.[MARK] === true) return;
  Error.prepareStackTrace = Object.assign(sdkAwarePrepare(fallback), { [MARK]: true as const });
}
