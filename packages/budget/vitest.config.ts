import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "budget",
    include: ["tests/**/*.test.ts"],
  },
});
