import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "local-aws",
    include: ["tests/**/*.test.ts"],
    // dynalite starts in the setup; a loaded 2-core machine can take longer than the 10 s default.
    hookTimeout: 30_000,
    // The SDK warns once per process that it will need Node 22 from 2027; noted in the README, not per run.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
