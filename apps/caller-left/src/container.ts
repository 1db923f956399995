import type { TimingBudget } from "@holdline/budget/timing-budget";
import { createObservability, ObservabilityId } from "@holdline/composition/lambda/observability";
import { clockModule } from "@holdline/composition/modules/clock.module";
import { eventsModule } from "@holdline/composition/modules/events.module";
import { storeModule } from "@holdline/composition/modules/store.module";
import { textDeliveryModule } from "@holdline/composition/modules/text-delivery.module";
import { RecordCallerLeftId } from "@holdline/domain/use-cases/text-delivery/record-caller-left.use-case";
import { Container } from "inversify";
import type { CallerLeftConfig } from "./config.ts";
import type { CallerLeftDependencies } from "./handler.ts";

/** The composition root: DynamoDB store (its `TextDeliveryStore`) and wall clock. */
export function buildContainer(config: CallerLeftConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    textDeliveryModule(),
    clockModule(),
    storeModule(config, budget),
    eventsModule(createObservability("caller-left", config.HOLDLINE_DEBUG_CONTENT)),
  );
  return container;
}

export const dependenciesFrom = (container: Container): CallerLeftDependencies => ({
  recordCallerLeft: container.get(RecordCallerLeftId),
  observability: container.get(ObservabilityId),
});
