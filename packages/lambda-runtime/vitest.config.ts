import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "lambda-runtime",
    include: ["tests/**/*.test.ts"],
  },
});
