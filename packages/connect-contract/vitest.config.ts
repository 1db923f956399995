import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "connect-contract",
    include: ["tests/**/*.test.ts"],
  },
});
