import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { CheckExecutionId } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import { RunExecutionId } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { StartExecutionId } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { useCasesModule } from "@holdline/composition/modules/use-cases.module";
import { inlineDispatcherModule } from "@holdline/composition/modules/inline-dispatcher.module";
import { optionalDispatcherModule } from "@holdline/composition/modules/dispatcher.module";
import { modelModule } from "@holdline/composition/modules/model.module";
import { createObservability, ObservabilityId } from "@holdline/composition/lambda/observability";
import { clockModule } from "@holdline/composition/modules/clock.module";
import { eventsModule } from "@holdline/composition/modules/events.module";
import { storeModule } from "@holdline/composition/modules/store.module";
import { Container } from "inversify";
import type { ConnectAnswerConfig } from "./config.ts";
import type { ConnectAnswerDependencies } from "./handler.ts";

/**
 * The composition root of the native-async strategy, for a turn run in place (a flow that sends no cursor):
 * the execution runs inside this invocation, so its deadline and lease come from Connect's asynchronous block
 * limit, and the dispatcher is inline.
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

/**
 * Progressive answers (a flow that sends a cursor): a Lambda's work stops when it returns, so the answer is
 * written by answer-worker, which this function dispatches as an `Event` invocation, and each invocation only
 * reads the parts written so far. A child of `container`: the same store, clock and events, its own use cases
 * on the progressive turn's policy (`budget.connectAnswer.progressive`), and the worker's dispatcher instead of
 * the inline one. Undefined when the function is given no worker (`HOLDLINE_WORKER_FUNCTION`): a progressive
 * request is then refused (`createHandler`).
 */
export function buildProgressiveContainer(
  container: Container,
  config: ConnectAnswerConfig,
  budget: TimingBudget,
): Container | undefined {
  const dispatcher = optionalDispatcherModule(config, budget);
  if (dispatcher === undefined) return undefined;
  const progressive = new Container({ parent: container });
  progressive.load(useCasesModule(budget.connectAnswer.progressive.policy), dispatcher);
  return progressive;
}

export function dependenciesFrom(
  container: Container,
  config: ConnectAnswerConfig,
  budget: TimingBudget,
  progressive?: Container,
): ConnectAnswerDependencies {
  return {
    start: container.get(StartExecutionId),
    run: container.get(RunExecutionId),
    check: container.get(CheckExecutionId),
    progressive:
      progressive === undefined
        ? undefined
        : { start: progressive.get(StartExecutionId), check: progressive.get(CheckExecutionId) },
    mapping: connectMappingOptions({ defaultLocale: config.HOLDLINE_DEFAULT_LOCALE }),
    observability: container.get(ObservabilityId),
    waitMs: budget.connectAnswer.waitMs,
    reserveMs: budget.connectAnswer.reserveMs,
  };
}
