/**
 * vitest's setupFiles (before each test file, in its worker): the Pulumi SDK's own stack
 * captures are made as `npm run plan` makes them (stacks/sdk-stack-captures.ts): a promise's
 * kept as frames and formatted only if read, a resource's formatted plainly.
 *
 * In a vitest worker `Error.prepareStackTrace` is the module runner's, which maps every frame
 * through the source maps; for the SDK's thousands of captures per plan that was about two
 * thirds of a plan's CPU in a test (docs/benchmarks.md). No plan reads those traces (the mocks
 * ignore source positions; the leak report only prints at a process's exit, not in a worker).
 * Every other error (a test's, the program's own failures, with a message) is still mapped.
 */
import { installSdkStackCaptures } from "../../stacks/sdk-stack-captures";

installSdkStackCaptures(Error.prepareStackTrace);
