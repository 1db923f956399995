import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "caller-left",
    include: ["tests/**/*.test.ts"],
    hookTimeout: 30_000,
    env: { POWERTOOLS_LOG_LEVEL: "SILENT", POWERTOOLS_METRICS_DISABLED: "true" },
  },
});
