import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { createObservability, ObservabilityId } from "@holdline/composition/lambda/observability";
import { clockModule } from "@holdline/composition/modules/clock.module";
import { dispatcherModule } from "@holdline/composition/modules/dispatcher.module";
import { eventsModule } from "@holdline/composition/modules/events.module";
import { storeModule } from "@holdline/composition/modules/store.module";
import { useCasesModule } from "@holdline/composition/modules/use-cases.module";
import { StartExecutionId } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { Container } from "inversify";
import type { ConnectStartConfig } from "./config.ts";
import type { ConnectStartDependencies } from "./handler.ts";

/**
 * The composition root, one module per port: DynamoDB store, worker dispatcher (Lambda `Event`), wall clock.
 * No model client: this bundle never calls Bedrock. Tests rebind the ports to fakes. The turns it registers
 * follow the policy of the strategy it serves: polling's, or (`register`) native-async's progressive turn,
 * whose deadline connect-answer's asynchronous block bounds.
 */
export function buildContainer(config: ConnectStartConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    useCasesModule(
      config.HOLDLINE_START_ROLE === "register" ? budget.connectAnswer.progressive.policy : budget.policy,
    ),
    clockModule(),
    storeModule(config, budget),
    dispatcherModule(config, budget),
    eventsModule(createObservability("connect-start", config.HOLDLINE_DEBUG_CONTENT)),
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
    observability: container.get(ObservabilityId),
    role: config.HOLDLINE_START_ROLE,
    waitMs:
      config.HOLDLINE_START_ROLE === "register"
        ? budget.connectAnswer.progressive.registerWithinMs
        : budget.connectStart.waitMs,
    reserveMs: budget.connectStart.reserveMs,
  };
}
