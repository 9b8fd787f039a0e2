import { defineConfig } from "vitest/config";

// The live tier: real Prometheus, Alertmanager and Pushgateway on 127.0.0.1
// (Debian's packages). Files run one at a time so their timings do not compete.
export default defineConfig({
  test: {
    include: ["test/live/**/*.live.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
