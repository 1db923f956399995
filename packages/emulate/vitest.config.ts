import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "emulate",
    include: ["tests/**/*.test.ts"],
  },
});
