import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "adapters-lambda",
    include: ["tests/**/*.test.ts"],
  },
});
