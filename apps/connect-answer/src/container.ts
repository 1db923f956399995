import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { CheckExecutionId } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import { RunExecutionId } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { StartExecutionId } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { domainModule } from "@holdline/runtime/domain.module";
import { InlineDispatcher } from "@holdline/runtime/inline-dispatcher";
import { modelModule } from "@holdline/runtime/model.module";
import { createObservability } from "@holdline/runtime/observability";
import { clockModule, storeModule } from "@holdline/runtime/store.module";
import { Container } from "inversify";
import type { ConnectAnswerConfig } from "./config.ts";
import type { ConnectAnswerDependencies } from "./handler.ts";

/**
 * The composition root of the native-async strategy: the execution runs inside this invocation, so its
 * deadline and lease come from Connect's asynchronous block limit, and the dispatcher is inline.
 */
export function buildContainer(config: ConnectAnswerConfig, budget: TimingBudget): Container {
  const policy = {
    ...budget.policy,
    deadlineMs: budget.connectAnswer.deadlineMs,
    leaseMs: budget.connectAnswer.deadlineMs,
  };
  const container = new Container();
  container.load(
    domainModule(policy),
    clockModule(),
    storeModule(config, budget),
    modelModule(config, process.env.AWS_REGION),
  );
  container.bind(WorkDispatcherId).toConstantValue(new InlineDispatcher());
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
    observability: createObservability("connect-answer", config.HOLDLINE_DEBUG_CONTENT),
    waitMs: budget.connectAnswer.blockLimitSeconds * 1000,
    reserveMs: budget.connectAnswer.reserveMs,
  };
}
