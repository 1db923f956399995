import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { parseStatusEvent, type StatusRequest } from "@holdline/adapters-connect/connect-event.parser";
import type { ConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import { type ConnectResponse, toConnectErrorResponse } from "@holdline/adapters-connect/connect-response";
import { inProgressView } from "@holdline/adapters-connect/connect-view";
import {
  type ConnectCommand,
  connectHandler,
  type InvocationContext,
} from "@holdline/composition/lambda/connect-handler";
import type { Observability } from "@holdline/composition/lambda/observability";
import {
  TEXT_OFFER_KEYS,
  TEXT_OFFER_OUTCOME,
  type TextOfferOutcome,
} from "@holdline/connect-contract/flow-contract";
import { InvalidPhoneNumberError, StaleDeliveryError, StoreUnavailableError } from "@holdline/domain/errors";
import type { Clock } from "@holdline/domain/ports/clock.port";
import { isE164, maskPhone } from "@holdline/domain/text-delivery/text-delivery";
import { settleBy } from "@holdline/domain/use-cases/settle-by";
import type { RecordTextConsent } from "@holdline/domain/use-cases/text-delivery/record-text-consent.use-case";
import { callerAddress } from "./caller-address.ts";

export interface ConnectTextOfferDependencies {
  readonly consent: RecordTextConsent;
  readonly clock: Clock;
  readonly mapping: ConnectMappingOptions;
  readonly observability: Observability;
  /** How long the consent's store calls may take before the handler answers `failed`. */
  readonly waitMs: number;
  /** Kept back from the invocation's remaining time, as in the other Connect-facing handlers. */
  readonly reserveMs: number;
}

/** Every `EXTERNAL_KEYS` key, as connect-status would answer, and `textOffer`. */
export type TextOfferResponse = ConnectResponse & { readonly [TEXT_OFFER_KEYS.outcome]: TextOfferOutcome };

export type TextOfferHandler = (event: unknown, context?: InvocationContext) => Promise<TextOfferResponse>;

interface OfferCommand extends ConnectCommand, StatusRequest {
  /** The caller's number as Connect gave it; never logged. */
  readonly address: string | undefined;
}

/** What a log line may say about the caller's address: its last two digits, or what is wrong with it. */
const describeAddress = (address: string | undefined): string => {
  if (address === undefined || address === "") return "none";
  return isE164(address) ? maskPhone(address) : "not E.164";
};

/**
 * Connect, synchronous: the caller pressed the offer's key to get the answer by text message. Records the
 * consent and number (`RecordTextConsent`) unless the answer is already here, and answers every key
 * connect-status would for the turn (so the flow speaks a ready answer with the same blocks) plus `textOffer`:
 * `accepted`, `answer_ready`, `unavailable` (no number a text can reach) or `failed` (an unknown turn, a bad
 * event, a store that did not answer within `waitMs`). Built on the Connect handler wrapper, so it never
 * throws to Connect. The number is never logged: only its last two digits.
 */
export const createHandler = ({
  consent,
  clock,
  mapping,
  observability,
  waitMs,
  reserveMs,
}: ConnectTextOfferDependencies): TextOfferHandler => {
  const { logger, metrics } = observability;
  const report = (outcome: TextOfferOutcome, caller: string, reason?: string): void => {
    const fields = { textOffer: outcome, caller, ...(reason === undefined ? {} : { reason }) };
    if (outcome === TEXT_OFFER_OUTCOME.failed) logger.warn("the text offer was not recorded", fields);
    else logger.info("text offer", fields);
  };

  return async (event, context) => {
    // One invocation's outcome, set by `run`; stays `failed` when the event is refused or `run` throws.
    let outcome: TextOfferOutcome = TEXT_OFFER_OUTCOME.failed;
    try {
      const answer = connectHandler<OfferCommand>(
        {
          parse: (raw) => {
            const parsed = parseStatusEvent(raw, mapping);
            return parsed.ok
              ? { ...parsed, command: { ...parsed.command, address: callerAddress(raw) } }
              : parsed;
          },
          run: async ({ key, cursor, address }, boundMs) => {
            const caller = describeAddress(address);
            try {
              const recording = consent.execute({ key, address });
              const settled = await settleBy(clock, clock.now() + boundMs, recording);
              if (!settled.settled) {
                report(TEXT_OFFER_OUTCOME.failed, caller, `no store answer within ${boundMs} ms`);
                return inProgressView(key.turn, cursor);
              }
              const result = settled.value;
              outcome =
                result.outcome === "consented" ? TEXT_OFFER_OUTCOME.accepted : TEXT_OFFER_OUTCOME.answerReady;
              report(outcome, caller);
              return result.execution;
            } catch (error) {
              if (error instanceof InvalidPhoneNumberError) {
                // Checked only while the turn awaits its answer: the caller keeps waiting on the line.
                outcome = TEXT_OFFER_OUTCOME.unavailable;
                report(outcome, caller);
                return inProgressView(key.turn, cursor);
              }
              report(
                TEXT_OFFER_OUTCOME.failed,
                caller,
                (error as { code?: string }).code ?? "internal_error",
              );
              // As connect-status: a store that does not answer is a turn still in progress.
              if (error instanceof StoreUnavailableError || error instanceof StaleDeliveryError) {
                return inProgressView(key.turn, cursor);
              }
              throw error;
            }
          },
        },
        { mapping, observability, waitMs, reserveMs },
      );
      const response = await answer(event, context);
      countOutcome(observability, outcome);
      return { ...response, [TEXT_OFFER_KEYS.outcome]: outcome };
    } catch (error) {
      // Only a failing logger or metrics client gets here: still an answer the flow can read.
      try {
        logger.error("answering the text offer with an error", { error: error as Error });
      } catch {
        // Nothing left to report with.
      }
      return {
        ...toConnectErrorResponse(error),
        [TEXT_OFFER_KEYS.outcome]: TEXT_OFFER_OUTCOME.failed,
      };
    } finally {
      try {
        metrics.publishStoredMetrics();
      } catch {
        // Publishing never changes the answer.
      }
    }
  };
};

function countOutcome({ metrics }: Observability, outcome: TextOfferOutcome): void {
  const metric = metrics.singleMetric();
  metric.addDimension("outcome", outcome);
  metric.addMetric("TextOffers", MetricUnit.Count, 1);
}
