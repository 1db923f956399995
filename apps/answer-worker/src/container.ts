import type { TimingBudget } from "@holdline/budget/timing-budget";
import { RunExecutionId } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { domainModule } from "@holdline/runtime/domain.module";
import { modelModule } from "@holdline/runtime/model.module";
import { createObservability } from "@holdline/runtime/observability";
import { clockModule, storeModule } from "@holdline/runtime/store.module";
import { Container } from "inversify";
import type { AnswerWorkerConfig } from "./config.ts";
import type { AnswerWorkerDependencies } from "./handler.ts";

/** The composition root: DynamoDB store, Bedrock (or the embedded FAQ model), wall clock. */
export function buildContainer(config: AnswerWorkerConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    domainModule(budget.policy),
    clockModule(),
    storeModule(config, budget),
    modelModule(config, process.env.AWS_REGION),
  );
  return container;
}

export const dependenciesFrom = (
  container: Container,
  config: AnswerWorkerConfig,
): AnswerWorkerDependencies => ({
  run: container.get(RunExecutionId),
  observability: createObservability("answer-worker", config.HOLDLINE_DEBUG_CONTENT),
});
