import { fileURLToPath } from "node:url";

/** The repository's `apps/` directory: each function's bundle is `<app>/dist` (`pnpm build` writes it). */
export const APPS_DIRECTORY = fileURLToPath(new URL("../../apps", import.meta.url));
