import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "adapters-sms",
    include: ["tests/**/*.test.ts"],
    // The SDK warns once per process that it will need Node 22 from 2027; noted in the README, not per run.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
