import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "connect-emulator",
    include: ["tests/**/*.test.ts"],
    // The real lex-transcript handler logs and emits metrics through Powertools.
    env: { POWERTOOLS_LOG_LEVEL: "SILENT", POWERTOOLS_METRICS_DISABLED: "true" },
  },
});
