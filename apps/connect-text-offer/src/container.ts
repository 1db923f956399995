import { connectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { createObservability, ObservabilityId } from "@holdline/composition/lambda/observability";
import { clockModule } from "@holdline/composition/modules/clock.module";
import { eventsModule } from "@holdline/composition/modules/events.module";
import { storeModule } from "@holdline/composition/modules/store.module";
import { textDeliveryModule } from "@holdline/composition/modules/text-delivery.module";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { RecordTextConsentId } from "@holdline/domain/use-cases/text-delivery/record-text-consent.use-case";
import { Container } from "inversify";
import type { ConnectTextOfferConfig } from "./config.ts";
import type { ConnectTextOfferDependencies } from "./handler.ts";

/**
 * The composition root, one module per port: DynamoDB store (its `TextDeliveryStore`), wall clock. No
 * dispatcher, no model client, no SMS client: this function only records the consent.
 */
export function buildContainer(config: ConnectTextOfferConfig, budget: TimingBudget): Container {
  const container = new Container();
  container.load(
    textDeliveryModule(),
    clockModule(),
    storeModule(config, budget),
    eventsModule(createObservability("connect-text-offer", config.HOLDLINE_DEBUG_CONTENT)),
  );
  return container;
}

export function dependenciesFrom(
  container: Container,
  config: ConnectTextOfferConfig,
  budget: TimingBudget,
): ConnectTextOfferDependencies {
  return {
    consent: container.get(RecordTextConsentId),
    clock: container.get(ClockId),
    mapping: connectMappingOptions({ defaultLocale: config.HOLDLINE_DEFAULT_LOCALE }),
    observability: container.get(ObservabilityId),
    waitMs: budget.connectTextOffer.waitMs,
    reserveMs: budget.connectTextOffer.reserveMs,
  };
}
