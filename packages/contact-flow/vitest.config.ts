import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "contact-flow",
    include: ["tests/**/*.test.ts"],
  },
});
