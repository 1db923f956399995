import type { TimingBudget } from "@holdline/budget/timing-budget";
import { Container } from "inversify";
import type { CommonConfig, DispatcherConfig } from "./adapter-config.ts";
import { dispatcherModule } from "./dispatcher.module.ts";
import { domainModule } from "./domain.module.ts";
import { clockModule, storeModule } from "./store.module.ts";

/**
 * The composition root shared by the polling strategy's Connect-facing functions (connect-start,
 * connect-status): DynamoDB store, Lambda dispatcher, wall clock. No model client: these bundles never
 * call Bedrock. Tests rebind the ports to fakes.
 */
export function pollingContainer(config: CommonConfig & DispatcherConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    domainModule(budget.policy),
    clockModule(),
    storeModule(config, budget),
    dispatcherModule(config, budget),
  );
  return container;
}
