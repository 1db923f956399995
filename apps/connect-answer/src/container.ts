import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { CheckExecutionId } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import { RunExecutionId } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { StartExecutionId } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { useCasesModule } from "@holdline/composition/modules/use-cases.module";
import { inlineDispatcherModule } from "@holdline/composition/modules/inline-dispatcher.module";
import { modelModule } from "@holdline/composition/modules/model.module";
import { createObservability, ObservabilityId } from "@holdline/composition/lambda/observability";
import { clockModule } from "@holdline/composition/modules/clock.module";
import { eventsModule } from "@holdline/composition/modules/events.module";
import { storeModule } from "@holdline/composition/modules/store.module";
import { Container } from "inversify";
import type { ConnectAnswerConfig } from "./config.ts";
import type { ConnectAnswerDependencies } from "./handler.ts";

/**
 * The composition root of the native-async strategy: the execution runs inside this invocation, so its
 * deadline and lease come from Connect's asynchronous block limit, and the dispatcher is inline.
 */
export function buildContainer(config: ConnectAnswerConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    useCasesModule(budget.connectAnswer.policy),
    clockModule(),
    storeModule(config, budget),
    modelModule(config, budget.connectAnswer.bedrock),
    inlineDispatcherModule(),
    eventsModule(createObservability("connect-answer", config.HOLDLINE_DEBUG_CONTENT)),
  );
  return container;
}

export function dependenciesFrom(
  container: Container,
  config: ConnectAnswerConfig,
  budget: TimingBudget,
): ConnectAnswerDependencies {
  return {
    start: container.get(StartExecutionId),
    run: container.get(RunExecutionId),
    check: container.get(CheckExecutionId),
    mapping: connectMappingOptions({ defaultLocale: config.HOLDLINE_DEFAULT_LOCALE }),
    observability: container.get(ObservabilityId),
    waitMs: budget.connectAnswer.waitMs,
    reserveMs: budget.connectAnswer.reserveMs,
  };
}
