import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The live tier has its own command (npm run test:live) and config.
    exclude: ["test/live/**", "**/node_modules/**"],
    pool: "forks",
    fileParallelism: true,
    // Files in one worker share its module cache: Pulumi's SDK is imported once
    // per worker, not once per file (about 15 s of a run). Sharing is safe:
    // planStack queues plans, so the SDK's global runtime state serves one plan at a time.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
