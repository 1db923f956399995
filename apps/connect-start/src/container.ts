import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import { storeWorstCaseMs, type TimingBudget } from "@holdline/budget/timing-budget";
import { StartExecutionId } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { dispatcherModule } from "@holdline/runtime/dispatcher.module";
import { domainModule } from "@holdline/runtime/domain.module";
import { createObservability } from "@holdline/runtime/observability";
import { clockModule, storeModule } from "@holdline/runtime/store.module";
import { Container } from "inversify";
import type { ConnectStartConfig } from "./config.ts";
import type { ConnectStartDependencies } from "./handler.ts";

/** The composition root: DynamoDB store, Lambda dispatcher, wall clock. Tests rebind ports to fakes. */
export function buildContainer(config: ConnectStartConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    domainModule(budget.policy),
    clockModule(),
    storeModule(config, budget),
    dispatcherModule(config, budget),
  );
  return container;
}

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
    reserveMs: budget.choices.responseMarginMs + storeWorstCaseMs(budget.dynamodb),
  };
}
