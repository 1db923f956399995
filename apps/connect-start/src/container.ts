import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { StartExecutionId } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { createObservability } from "@holdline/runtime/observability";
import { pollingContainer } from "@holdline/runtime/polling.container";
import type { Container } from "inversify";
import type { ConnectStartConfig } from "./config.ts";
import type { ConnectStartDependencies } from "./handler.ts";

/** The composition root: the polling strategy's shared one (store, dispatcher, clock). */
export const buildContainer = (config: ConnectStartConfig, budget: TimingBudget): Container =>
  pollingContainer(config, budget);

export function dependenciesFrom(
  container: Container,
  config: ConnectStartConfig,
  budget: TimingBudget,
): ConnectStartDependencies {
  return {
    start: container.get(StartExecutionId),
    mapping: connectMappingOptions({ defaultLocale: config.HOLDLINE_DEFAULT_LOCALE }),
    observability: createObservability("connect-start", config.HOLDLINE_DEBUG_CONTENT),
    waitMs: budget.connectStart.waitMs,
    reserveMs: budget.connectStart.reserveMs,
  };
}
