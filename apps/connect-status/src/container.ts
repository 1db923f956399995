import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import { storeWorstCaseMs, type TimingBudget } from "@holdline/budget/timing-budget";
import { CheckExecutionId } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import { dispatcherModule } from "@holdline/runtime/dispatcher.module";
import { domainModule } from "@holdline/runtime/domain.module";
import { createObservability } from "@holdline/runtime/observability";
import { clockModule, storeModule } from "@holdline/runtime/store.module";
import { Container } from "inversify";
import type { ConnectStatusConfig } from "./config.ts";
import type { ConnectStatusDependencies } from "./handler.ts";

/** The composition root: DynamoDB store, Lambda dispatcher (to re-dispatch lost work), wall clock. */
export function buildContainer(config: ConnectStatusConfig, budget: TimingBudget): Container {
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
  config: ConnectStatusConfig,
  budget: TimingBudget,
): ConnectStatusDependencies {
  return {
    check: container.get(CheckExecutionId),
    mapping: connectMappingOptions({ defaultLocale: config.HOLDLINE_DEFAULT_LOCALE }),
    observability: createObservability("connect-status", config.HOLDLINE_DEBUG_CONTENT),
    waitMs: budget.connectStatus.waitMs,
    reserveMs: budget.choices.responseMarginMs + storeWorstCaseMs(budget.dynamodb),
  };
}
