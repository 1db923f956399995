import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "connect-emulator",
    include: ["tests/**/*.test.ts"],
  },
});
