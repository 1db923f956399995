import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { parseWorkerPayload } from "@holdline/adapters-lambda/worker-payload";
import { formatKey } from "@holdline/domain/execution/execution";
import type {
  AbandonOutcome,
  AbandonStart,
} from "@holdline/domain/use-cases/abandon-start/abandon-start.use-case";
import type {
  RunExecution,
  RunOutcome,
} from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import type { Observability } from "@holdline/composition/lambda/observability";

export interface AnswerWorkerDependencies {
  readonly run: RunExecution;
  readonly abandon: AbandonStart;
  readonly observability: Observability;
}

export interface AnswerWorkerResult {
  readonly outcome: RunOutcome | AbandonOutcome | "invalid_payload";
}

/**
 * Asynchronous invocation from the dispatcher: runs one execution, or ends an abandoned start (a turn whose
 * create the store never confirmed before connect-start answered the caller with an error). A duplicate delivery is a no-op without
 * a model call. A payload that is not a worker payload is logged and dropped (retrying it cannot help).
 * A store outage is thrown on purpose: Lambda retries the event, and when its retries are exhausted the
 * on-failure destination reaches failure-recorder, which fails the execution so the caller hears an error.
 */
export const createHandler =
  ({ run, abandon, observability: { logger, metrics, logContent } }: AnswerWorkerDependencies) =>
  async (event: unknown, context?: { readonly awsRequestId?: string }): Promise<AnswerWorkerResult> => {
    const parsed = parseWorkerPayload(event);
    if (!parsed.ok) {
      logger.error("dropped an invalid worker payload", {
        errorCode: parsed.error.code,
        reason: parsed.error.message,
      });
      return { outcome: "invalid_payload" };
    }
    logger.appendKeys({
      contactId: parsed.key.contactId,
      turn: parsed.key.turn,
      executionId: formatKey(parsed.key),
    });
    try {
      if (parsed.abandon !== undefined) {
        const outcome = await abandon.execute(parsed.abandon);
        logger.info("ended an abandoned start", { outcome });
        return { outcome };
      }
      // The request id prefixes the run's writes, so this invocation's failure record can name its attempt.
      const invocationId = context?.awsRequestId;
      const { outcome, execution } = await run.execute(
        parsed.key,
        invocationId === undefined ? {} : { invocationId },
      );
      logger.info("ran the execution", {
        outcome,
        status: execution?.status,
        attempt: execution?.attempt,
        ...(execution?.error === undefined ? {} : { errorCode: execution.error.code }),
        ...(logContent ? { question: execution?.input.question, answer: execution?.answer } : {}),
      });
      const outcomeMetric = metrics.singleMetric();
      outcomeMetric.addDimension("outcome", outcome);
      outcomeMetric.addMetric("Executions", MetricUnit.Count, 1);
      if (outcome === "completed" && execution?.usage !== undefined) {
        metrics.addMetric("ModelLatency", MetricUnit.Milliseconds, execution.usage.latencyMs);
        metrics.addMetric("InputTokens", MetricUnit.Count, execution.usage.inputTokens);
        metrics.addMetric("OutputTokens", MetricUnit.Count, execution.usage.outputTokens);
      }
      if (execution?.finishedAt !== undefined && outcome !== "skipped") {
        metrics.addMetric(
          "AnswerLatency",
          MetricUnit.Milliseconds,
          execution.finishedAt - execution.createdAt,
        );
      }
      return { outcome };
    } finally {
      metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
