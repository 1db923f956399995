import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { containerObservabilityContract } from "@holdline/composition/testing/container-observability.contract";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions" });
const budget = budgetFrom(config);

containerObservabilityContract({
  service: "connect-text-offer",
  build: () => buildContainer(config, budget),
  handlerObservability: (container) => dependenciesFrom(container, config, budget).observability,
});
