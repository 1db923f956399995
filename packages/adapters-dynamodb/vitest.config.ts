import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "adapters-dynamodb",
    include: ["tests/**/*.test.ts"],
  },
});
