import type { TimingBudget } from "@holdline/budget/timing-budget";
import { AbandonStartId } from "@holdline/domain/use-cases/abandon-start/abandon-start.use-case";
import { RunExecutionId } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { useCasesModule } from "@holdline/composition/modules/use-cases.module";
import { modelModule } from "@holdline/composition/modules/model.module";
import { createObservability, ObservabilityId } from "@holdline/composition/lambda/observability";
import { clockModule } from "@holdline/composition/modules/clock.module";
import { eventsModule } from "@holdline/composition/modules/events.module";
import { storeModule } from "@holdline/composition/modules/store.module";
import { Container } from "inversify";
import type { AnswerWorkerConfig } from "./config.ts";
import type { AnswerWorkerDependencies } from "./handler.ts";

/** The composition root: DynamoDB store, Bedrock (or the embedded FAQ model), wall clock. */
export function buildContainer(config: AnswerWorkerConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    useCasesModule(budget.policy),
    clockModule(),
    storeModule(config, budget),
    modelModule(config, budget.worker.bedrock),
    eventsModule(createObservability("answer-worker", config.HOLDLINE_DEBUG_CONTENT)),
  );
  return container;
}

export const dependenciesFrom = (container: Container): AnswerWorkerDependencies => ({
  run: container.get(RunExecutionId),
  abandon: container.get(AbandonStartId),
  observability: container.get(ObservabilityId),
});
