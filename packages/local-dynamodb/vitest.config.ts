import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "local-dynamodb",
    include: ["tests/**/*.test.ts"],
  },
});
