import type { TimingBudget } from "@holdline/budget/timing-budget";
import { type Clock, ClockId } from "@holdline/domain/ports/clock.port";
import { type TextDeliveryStore, TextDeliveryStoreId } from "@holdline/domain/ports/text-delivery-store.port";
import { type TextMessageSender, TextMessageSenderId } from "@holdline/domain/ports/text-message-sender.port";
import {
  DeliverText,
  DeliverTextId,
  type DeliverTextPolicy,
} from "@holdline/domain/use-cases/text-delivery/deliver-text.use-case";
import {
  RecordCallerLeft,
  RecordCallerLeftId,
} from "@holdline/domain/use-cases/text-delivery/record-caller-left.use-case";
import {
  RecordTextConsent,
  RecordTextConsentId,
} from "@holdline/domain/use-cases/text-delivery/record-text-consent.use-case";
import { ContainerModule, type ServiceIdentifier } from "inversify";
import type { TextDeliveryConfig } from "../config/environment.schema.ts";

export const DeliverTextPolicyId: ServiceIdentifier<DeliverTextPolicy> = Symbol.for(
  "holdline.DeliverTextPolicy",
);

/** `DeliverText`'s policy: the budget's timings (claim, record) and the configured attempts and segments. */
export const deliverTextPolicy = (config: TextDeliveryConfig, budget: TimingBudget): DeliverTextPolicy => ({
  maxAttempts: config.HOLDLINE_TEXT_MAX_ATTEMPTS,
  claimMs: budget.textDelivery.claimMs,
  recordWithinMs: budget.textDelivery.recordWithinMs,
  maxSegments: config.HOLDLINE_TEXT_MAX_SEGMENTS,
});

/**
 * Binds the text-delivery use cases (issue 18) to whatever the container holds for their ports:
 * `RecordTextConsent` and `RecordCallerLeft` (the `TextDeliveryStore` and the clock), and, given a policy,
 * `DeliverText` (also the `TextMessageSender`). Lazy singletons through `toResolvedValue`, as in
 * `useCasesModule`: a function that never sends needs no SMS client.
 */
export const textDeliveryModule = (policy?: DeliverTextPolicy): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(RecordTextConsentId)
      .toResolvedValue(
        (store: TextDeliveryStore, clock: Clock) => new RecordTextConsent(store, clock),
        [TextDeliveryStoreId, ClockId],
      )
      .inSingletonScope();
    bind(RecordCallerLeftId)
      .toResolvedValue(
        (store: TextDeliveryStore, clock: Clock) => new RecordCallerLeft(store, clock),
        [TextDeliveryStoreId, ClockId],
      )
      .inSingletonScope();
    if (policy === undefined) return;
    bind(DeliverTextPolicyId).toConstantValue(policy);
    bind(DeliverTextId)
      .toResolvedValue(
        (store: TextDeliveryStore, sender: TextMessageSender, clock: Clock, rules: DeliverTextPolicy) =>
          new DeliverText(store, sender, clock, rules),
        [TextDeliveryStoreId, TextMessageSenderId, ClockId, DeliverTextPolicyId],
      )
      .inSingletonScope();
  });
