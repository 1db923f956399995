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
 * What the role decides (`HOLDLINE_START_ROLE`): the policy of the turns it registers, polling's or (`register`)
 * native-async's progressive turn, whose deadline connect-answer's asynchronous block bounds; and how long it
 * may take, its fast-path wait or (`register`) the time the first silence leaves for registering.
 */
const roleBudget = (config: ConnectStartConfig, budget: TimingBudget) =>
  config.HOLDLINE_START_ROLE === "register"
    ? {
        policy: budget.connectAnswer.progressive.policy,
        waitMs: budget.connectAnswer.progressive.registerWithinMs,
      }
    : { policy: budget.policy, waitMs: budget.connectStart.waitMs };

/**
 * The composition root, one module per port: DynamoDB store, worker dispatcher (Lambda `Event`), wall clock.
 * No model client: this bundle never calls Bedrock. Tests rebind the ports to fakes. The turns it registers
 * follow the policy of the role it plays (`roleBudget`).
 */
export function buildContainer(config: ConnectStartConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    useCasesModule(roleBudget(config, budget).policy),
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
    waitMs: roleBudget(config, budget).waitMs,
    reserveMs: budget.connectStart.reserveMs,
  };
}
