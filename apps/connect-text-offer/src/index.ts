import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { withLambdaContext } from "@holdline/composition/lambda/lambda-context";
import { loadConfig } from "./config.ts";
import { buildContainer, dependenciesFrom } from "./container.ts";
import { createHandler } from "./handler.ts";

// Wired once per cold start; warm invocations reuse the SDK client.
const config = loadConfig();
const budget = budgetFrom(config);
const dependencies = dependenciesFrom(buildContainer(config, budget), config, budget);
export const handler = withLambdaContext(dependencies.observability.logger, createHandler(dependencies));
