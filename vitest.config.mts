import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "policies/test/**/*.test.ts"],
    // The Pulumi runtime's mock state is process-global: files run in separate
    // workers, tests inside a file one after another.
    pool: "forks",
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
