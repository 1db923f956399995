import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "bedrock-stub",
    include: ["tests/**/*.test.ts"],
  },
});
