import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The live tier has its own command (npm run test:live) and config.
    exclude: ["test/live/**", "**/node_modules/**"],
    // Before any test starts the offline commands: one process fills their transpile cache.
    globalSetup: ["test/support/warm-loader.ts"],
    // The SDK's own stack captures, formatted unmapped, as `npm run plan` formats them.
    setupFiles: ["test/support/sdk-stack-traces.ts"],
    pool: "forks",
    fileParallelism: true,
    // vitest's default is one worker fewer than the cores: on a 2-core machine, one, and the
    // suite ran file after file. Much of it waits on the CLI processes it starts, so a worker
    // per core keeps both busy (docs/benchmarks.md).
    maxWorkers: Math.max(2, availableParallelism()),
    // Files in one worker share its module cache: Pulumi's SDK is imported once
    // per worker, not once per file (about 15 s of a run). Sharing is safe:
    // planStack queues plans, so the SDK's global runtime state serves one plan at a time.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
