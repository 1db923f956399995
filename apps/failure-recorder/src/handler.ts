import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { formatKey } from "@holdline/domain/execution/execution";
import type { RecordFailure } from "@holdline/domain/use-cases/record-failure/record-failure.use-case";
import type { Observability } from "@holdline/composition/lambda/observability";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { parseInvocationRecord } from "./invocation-record.ts";

export interface FailureRecorderDependencies {
  readonly recordFailure: RecordFailure;
  readonly observability: Observability;
}

/**
 * SQS consumer of the worker's on-failure destination: marks each execution failed so its caller hears an
 * error prompt instead of waiting out the deadline. Reports partial batch failures: a record that cannot be
 * recorded now (store outage) or ever (not an invocation record) is returned to the queue, and after the
 * queue's maxReceiveCount it lands in the dead-letter queue for a person to look at.
 */
export const createHandler = ({
  recordFailure,
  observability: { logger, metrics },
}: FailureRecorderDependencies) => {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    try {
      await recordOne(record);
    } catch (error) {
      logger.error("could not record a worker failure", {
        messageId: record.messageId,
        error: error as Error,
      });
      throw error;
    }
  };
  const recordOne = async (record: SQSRecord): Promise<void> => {
    const failed = parseInvocationRecord(record.body);
    const { recorded, deferred, execution } = await recordFailure.execute(failed);
    logger.info("worker failure record processed", {
      messageId: record.messageId,
      executionId: formatKey(failed.key),
      recorded,
      // Left to the running attempt's lease: a new attempt may start, or the next reader fails it.
      deferred: deferred ?? false,
      status: execution?.status ?? "absent",
    });
    const metric = recorded ? "FailuresRecorded" : deferred ? "FailuresLeftToLease" : "FailuresAlreadyFinal";
    metrics.addMetric(metric, MetricUnit.Count, 1);
  };
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    try {
      return await processPartialResponse(event, recordHandler, processor, {
        ...(context === undefined ? {} : { context }),
        throwOnFullBatchFailure: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
};
