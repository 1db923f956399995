import type { TimingBudget } from "@holdline/budget/timing-budget";
import { createObservability, ObservabilityId } from "@holdline/composition/lambda/observability";
import { clockModule } from "@holdline/composition/modules/clock.module";
import { eventsModule } from "@holdline/composition/modules/events.module";
import { smsModule } from "@holdline/composition/modules/sms.module";
import { storeModule } from "@holdline/composition/modules/store.module";
import { deliverTextPolicy, textDeliveryModule } from "@holdline/composition/modules/text-delivery.module";
import { DeliverTextId } from "@holdline/domain/use-cases/text-delivery/deliver-text.use-case";
import { Container } from "inversify";
import type { TextDeliveryAppConfig } from "./config.ts";
import type { TextDeliveryDependencies } from "./handler.ts";

/** The composition root: DynamoDB store (its `TextDeliveryStore`), End User Messaging SMS, wall clock. */
export function buildContainer(config: TextDeliveryAppConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    textDeliveryModule(deliverTextPolicy(config, budget)),
    clockModule(),
    storeModule(config, budget),
    smsModule(config, budget),
    eventsModule(createObservability("text-delivery", config.HOLDLINE_DEBUG_CONTENT)),
  );
  return container;
}

export const dependenciesFrom = (container: Container, budget: TimingBudget): TextDeliveryDependencies => ({
  deliverText: container.get(DeliverTextId),
  observability: container.get(ObservabilityId),
  recordReserveMs: budget.textDelivery.recordWorstCaseMs,
});
