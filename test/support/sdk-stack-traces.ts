/**
 * vitest's setupFiles (before each test file, in its worker): the Pulumi SDK's own stack
 * captures are formatted as plain V8 formats them, not mapped through the source maps.
 *
 * The SDK takes a stack trace for every promise it tracks (`debuggablePromise`) and an
 * unbounded one for every resource (`Resource.stackTrace`), thousands per plan. In a vitest
 * worker `Error.prepareStackTrace` is the module runner's, which maps every frame through the
 * source maps: about two thirds of a plan's CPU in a test (docs/benchmarks.md). No plan reads
 * those traces (the mocks ignore source positions; the leak report only prints at a process's
 * exit, not in a worker), and `npm run plan` formats them unmapped, as here. Every other error
 * (a test's, the program's own failures, with a message) is still mapped as before.
 */
const MARK = Symbol.for("agent-hive.sdk-stack-traces");
type Prepare = (error: Error, stack: NodeJS.CallSite[]) => unknown;

/** The SDK's captures: `new Error().stack` with no message, taken in these two functions. */
const SDK_CAPTURES = [/[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/, /[\\/]@pulumi[\\/]pulumi[\\/]resource\.js$/];

function isSdkCapture(error: Error, stack: NodeJS.CallSite[]): boolean {
  if (error.message !== "" || error.name !== "Error" || stack.length === 0) return false;
  const file = stack[0].getFileName() ?? "";
  return SDK_CAPTURES.some((re) => re.test(file));
}

/** V8's own format (what `Error.prepareStackTrace` unset gives). */
const plain = (error: Error, stack: NodeJS.CallSite[]): string => `${String(error)}${stack.map((frame) => `\n    at ${String(frame)}`).join("")}`;

const current = Error.prepareStackTrace as (Prepare & { [MARK]?: true }) | undefined;
if (current?.[MARK] !== true) {
  const mapped = current;
  const prepare = (error: Error, stack: NodeJS.CallSite[]): unknown =>
    mapped === undefined || isSdkCapture(error, stack) ? plain(error, stack) : mapped(error, stack);
  Error.prepareStackTrace = Object.assign(prepare, { [MARK]: true as const });
}
