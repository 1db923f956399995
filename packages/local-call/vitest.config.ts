import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "local-call",
    include: ["tests/**/*.test.ts"],
    // dynalite starts in the setup; a loaded 2-core machine can take longer than the 10 s default.
    hookTimeout: 30_000,
    // The fault matrix runs its real-time cells side by side (each mostly waits on timers and sockets).
    maxConcurrency: 16,
    env: { POWERTOOLS_LOG_LEVEL: "SILENT", POWERTOOLS_METRICS_DISABLED: "true" },
  },
});
