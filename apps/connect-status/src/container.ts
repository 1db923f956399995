import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { CheckExecutionId } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import { createObservability } from "@holdline/runtime/observability";
import { pollingContainer } from "@holdline/runtime/polling.container";
import type { Container } from "inversify";
import type { ConnectStatusConfig } from "./config.ts";
import type { ConnectStatusDependencies } from "./handler.ts";

/** The composition root: the polling strategy's shared one (store, dispatcher, clock). */
export const buildContainer = (config: ConnectStatusConfig, budget: TimingBudget): Container =>
  pollingContainer(config, budget);

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
    reserveMs: budget.connectStatus.reserveMs,
  };
}
