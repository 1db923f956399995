import type { TimingBudget } from "@holdline/budget/timing-budget";
import { RecordFailureId } from "@holdline/domain/use-cases/record-failure/record-failure.use-case";
import { useCasesModule } from "@holdline/composition/modules/use-cases.module";
import { createObservability, ObservabilityId } from "@holdline/composition/lambda/observability";
import { clockModule } from "@holdline/composition/modules/clock.module";
import { eventsModule } from "@holdline/composition/modules/events.module";
import { storeModule } from "@holdline/composition/modules/store.module";
import { Container } from "inversify";
import type { FailureRecorderConfig } from "./config.ts";
import type { FailureRecorderDependencies } from "./handler.ts";

/** The composition root: DynamoDB store and wall clock. */
export function buildContainer(config: FailureRecorderConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    useCasesModule(budget.policy),
    clockModule(),
    storeModule(config, budget),
    eventsModule(createObservability("failure-recorder", config.HOLDLINE_DEBUG_CONTENT)),
  );
  return container;
}

export const dependenciesFrom = (container: Container): FailureRecorderDependencies => ({
  recordFailure: container.get(RecordFailureId),
  observability: container.get(ObservabilityId),
});
