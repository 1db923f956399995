import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "adapters-bedrock",
    include: ["tests/**/*.test.ts"],
    // Integration tests talk HTTP/2 to a local stub over real sockets; a loaded 2-core machine can take
    // seconds to start a session, so a test gets more than the 5 s default (assertions keep their own bounds).
    testTimeout: 15_000,
  },
});
