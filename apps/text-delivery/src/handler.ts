import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Observability } from "@holdline/composition/lambda/observability";
import { type ExecutionKey, formatKey } from "@holdline/domain/execution/execution";
import { maskPhone } from "@holdline/domain/text-delivery/text-delivery";
import type {
  DeliverText,
  DeliverTextResult,
} from "@holdline/domain/use-cases/text-delivery/deliver-text.use-case";
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { streamKeyOf } from "./stream-key.ts";

export interface TextDeliveryDependencies {
  readonly deliverText: DeliverText;
  readonly observability: Observability;
  /**
   * One record's worst case: a record is started only with at least this much of the invocation left, so a
   * run is never cut off by its timeout between a send and its record. The rest are retried.
   */
  readonly recordReserveMs: number;
}

/** Thrown for a record to try again later: it becomes a `batchItemFailure` and the mapping retries it. */
export class RetryRecordError extends Error {
  override readonly name = "RetryRecordError";
}

/**
 * The consumer of the executions table's stream (NEW_AND_OLD_IMAGES, filtered to ended turns with a due
 * delivery): sends each record's text with `DeliverText`, one record after the other. `sent`, `skipped` and
 * `failed` (recorded on the execution) succeed; `retry` and a store outage fail the record, which the mapping
 * retries (`ReportBatchItemFailures`: from that record's sequence number), until its attempts or age run
 * out and it goes to the on-failure destination. A record whose key cannot be read is logged and succeeds: no
 * retry can fix it, and it must not hold up the shard. One log line per record: its key, the outcome and the
 * masked number; never the number, never the text.
 */
export const createHandler = ({
  deliverText,
  observability: { logger, metrics },
  recordReserveMs,
}: TextDeliveryDependencies) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);

  const report = (key: ExecutionKey, sequenceNumber: string | undefined, result: DeliverTextResult): void => {
    const fields = { executionId: formatKey(key), contactId: key.contactId, turn: key.turn, sequenceNumber };
    switch (result.outcome) {
      case "sent": {
        logger.info("text sent", {
          ...fields,
          kind: result.kind,
          to: maskPhone(result.delivery.to),
          attempts: result.delivery.attempts,
        });
        const metric = metrics.singleMetric();
        metric.addDimension("kind", result.kind);
        metric.addMetric("TextsSent", MetricUnit.Count, 1);
        return;
      }
      case "skipped":
        logger.info("no text to send", { ...fields, reason: result.reason });
        return;
      case "retry":
        logger.warn("text not sent yet: the record is retried", {
          ...fields,
          reason: result.reason,
          ...(result.error === undefined ? {} : { errorCode: result.error.code }),
        });
        metrics.addMetric("TextSendRetries", MetricUnit.Count, 1);
        return;
      case "failed":
        logger.error("text delivery failed: recorded on the execution", {
          ...fields,
          to: maskPhone(result.delivery.to),
          attempts: result.delivery.attempts,
          errorCode: result.delivery.error?.code ?? "text_failed",
        });
        metrics.addMetric("TextDeliveriesFailed", MetricUnit.Count, 1);
        return;
    }
  };

  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      const read = streamKeyOf(record);
      if (!read.ok) {
        logger.error("dropped a stream record whose key cannot be read", {
          sequenceNumber,
          eventId: record.eventID,
          reason: read.reason,
        });
        metrics.addMetric("TextRecordsUnreadable", MetricUnit.Count, 1);
        return;
      }
      const remaining = context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
      if (remaining < recordReserveMs) {
        logger.warn("left a record for the retry: not enough time in this invocation", {
          executionId: formatKey(read.key),
          sequenceNumber,
          remainingMs: remaining,
        });
        throw new RetryRecordError(`${remaining} ms left, ${recordReserveMs} ms needed`);
      }
      let result: DeliverTextResult;
      try {
        result = await deliverText.execute({ key: read.key });
      } catch (error) {
        logger.error("could not deliver a text: the record is retried", {
          executionId: formatKey(read.key),
          sequenceNumber,
          errorCode: (error as { code?: string }).code ?? "internal_error",
          error: error as Error,
        });
        metrics.addMetric("TextSendRetries", MetricUnit.Count, 1);
        throw error;
      }
      report(read.key, sequenceNumber, result);
      if (result.outcome === "retry") throw new RetryRecordError(`retry: ${result.reason}`);
    };
    try {
      return await processPartialResponse(event, recordHandler, processor, {
        ...(context === undefined ? {} : { context }),
        throwOnFullBatchFailure: false,
        // In stream order: a duplicate later in the batch finds the text sent and sends nothing.
        processInParallel: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
};
