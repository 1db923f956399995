import { withLambdaContext } from "@holdline/composition/lambda/lambda-context";
import { loadConfig } from "./config.ts";
import { dependenciesFrom } from "./container.ts";
import { createHandler } from "./handler.ts";

// Wired once per cold start.
const dependencies = dependenciesFrom(loadConfig());
export const handler = withLambdaContext(dependencies.observability.logger, createHandler(dependencies));
