import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { loadConfig } from "./config.ts";
import { buildContainer, dependenciesFrom } from "./container.ts";
import { createHandler } from "./handler.ts";

// Wired once per cold start; warm invocations reuse the SDK client.
const config = loadConfig();
export const handler = createHandler(dependenciesFrom(buildContainer(config, budgetFrom(config))));
