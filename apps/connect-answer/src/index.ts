import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { withLambdaContext } from "@holdline/composition/lambda/lambda-context";
import { loadConfig } from "./config.ts";
import { buildContainer, buildProgressiveContainer, dependenciesFrom } from "./container.ts";
import { createHandler } from "./handler.ts";

// Wired once per cold start; warm invocations reuse the SDK clients.
const config = loadConfig();
const budget = budgetFrom(config);
const container = buildContainer(config, budget);
const progressive = buildProgressiveContainer(container, config, budget);
const dependencies = dependenciesFrom(container, config, budget, progressive);
export const handler = withLambdaContext(dependencies.observability.logger, createHandler(dependencies));
