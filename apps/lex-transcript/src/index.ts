import { loadConfig } from "./config.ts";
import { dependenciesFrom } from "./container.ts";
import { createHandler } from "./handler.ts";

// Wired once per cold start.
export const handler = createHandler(dependenciesFrom(loadConfig()));
