import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "infra",
    include: ["tests/**/*.test.ts"],
    // Importing @pulumi/aws takes seconds on a loaded 2-core machine; each file runs whole stacks.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
