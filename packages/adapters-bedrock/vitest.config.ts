import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "adapters-bedrock",
    include: ["tests/**/*.test.ts"],
  },
});
