import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Observability } from "@holdline/composition/lambda/observability";
import type { RecordCallerLeft } from "@holdline/domain/use-cases/text-delivery/record-caller-left.use-case";
import type { Context } from "aws-lambda";
import { parseContactEvent } from "./contact-event.ts";

export interface CallerLeftDependencies {
  readonly recordCallerLeft: RecordCallerLeft;
  readonly observability: Observability;
}

/** The one event that means the caller is gone, and the one channel a text offer is made on. */
const DISCONNECTED = "DISCONNECTED";
const VOICE = "VOICE";

/**
 * EventBridge target for Amazon Connect's contact events (asynchronous invocation). A voice contact's
 * `DISCONNECTED` records that the caller left (`RecordCallerLeft`): if they consented to a text in their
 * latest turn, its delivery becomes due. Any other event type or channel is ignored. A store outage throws,
 * so that Lambda's asynchronous retries try again; an event that cannot be read is logged and dropped, since
 * no retry can make it readable.
 */
export const createHandler =
  ({ recordCallerLeft, observability: { logger, metrics } }: CallerLeftDependencies) =>
  async (event: unknown, _context?: Context): Promise<void> => {
    try {
      const parsed = parseContactEvent(event);
      if (!parsed.ok) {
        logger.error("dropped an event that is not a Connect contact event", { reason: parsed.reason });
        metrics.addMetric("ContactEventsMalformed", MetricUnit.Count, 1);
        return;
      }
      const { contactId, eventType, channel, disconnectReason, eventId } = parsed.event;
      logger.appendKeys({ contactId, ...(eventId === undefined ? {} : { eventId }) });
      if (eventType !== DISCONNECTED || channel !== VOICE) {
        logger.debug("ignored a contact event", { eventType, channel });
        return;
      }
      const { outcome, view } = await recordCallerLeft.execute({ contactId });
      logger.info("caller left", {
        outcome,
        ...(disconnectReason === undefined ? {} : { disconnectReason }),
        ...(view === undefined
          ? {}
          : { turn: view.execution.turn, delivery: view.delivery?.state ?? "none" }),
      });
      const metric = metrics.singleMetric();
      metric.addDimension("outcome", outcome);
      metric.addMetric("CallersLeft", MetricUnit.Count, 1);
    } catch (error) {
      logger.error("could not record that the caller left; Lambda retries the event", {
        error: error as Error,
      });
      throw error;
    } finally {
      metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
