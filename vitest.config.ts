import { defineConfig } from "vitest/config";

// For editors and `npx vitest` at the root; CI runs each project through turbo.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "infra"],
  },
});
