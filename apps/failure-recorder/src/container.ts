import type { TimingBudget } from "@holdline/budget/timing-budget";
import { RecordFailureId } from "@holdline/domain/use-cases/record-failure/record-failure.use-case";
import { domainModule } from "@holdline/runtime/domain.module";
import { createObservability } from "@holdline/runtime/observability";
import { clockModule, storeModule } from "@holdline/runtime/store.module";
import { Container } from "inversify";
import type { FailureRecorderConfig } from "./config.ts";
import type { FailureRecorderDependencies } from "./handler.ts";

/** The composition root: DynamoDB store and wall clock. */
export function buildContainer(config: FailureRecorderConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(domainModule(budget.policy), clockModule(), storeModule(config, budget));
  return container;
}

export const dependenciesFrom = (
  container: Container,
  config: FailureRecorderConfig,
): FailureRecorderDependencies => ({
  recordFailure: container.get(RecordFailureId),
  observability: createObservability("failure-recorder", config.HOLDLINE_DEBUG_CONTENT),
});
