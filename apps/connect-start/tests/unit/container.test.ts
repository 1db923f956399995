import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { containerObservabilityContract } from "@holdline/composition/testing/container-observability.contract";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions", HOLDLINE_WORKER_FUNCTION: "answer-worker" });
const budget = budgetFrom(config);

containerObservabilityContract({
  service: "connect-start",
  build: () => buildContainer(config, budget),
  handlerObservability: (container) => dependenciesFrom(container, config, budget).observability,
});
