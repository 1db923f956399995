import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Imports an app's built bundle (`dist/index.mjs`, as Lambda would load it) after setting its environment,
 * since a bundle reads its configuration once, at import. Run `pnpm build` first (turbo's `test` does).
 */
export async function importLambdaBundle<Handler>(
  appDirectory: string,
  environment: Record<string, string>,
): Promise<{ handler: Handler }> {
  Object.assign(process.env, environment);
  return import(pathToFileURL(join(appDirectory, "dist", "index.mjs")).href);
}
