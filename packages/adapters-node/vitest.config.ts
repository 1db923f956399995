import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "adapters-node",
    include: ["tests/**/*.test.ts"],
  },
});
