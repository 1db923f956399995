import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "adapters-faq",
    include: ["tests/**/*.test.ts"],
  },
});
