import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "adapters-connect",
    include: ["tests/**/*.test.ts"],
  },
});
