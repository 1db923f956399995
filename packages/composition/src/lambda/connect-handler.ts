import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { ConnectParseResult } from "@holdline/adapters-connect/connect-event.parser";
import type { ConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import {
  type ConnectResponse,
  errorCodeOf,
  toConnectErrorResponse,
  toConnectResponse,
} from "@holdline/adapters-connect/connect-response";
import { type ConnectView, toConnectView } from "@holdline/adapters-connect/connect-view";
import { type Execution, type ExecutionKey, formatKey } from "@holdline/domain/execution/execution";
import type { Observability } from "./observability.ts";

/** The part of Lambda's context a handler uses; absent when a handler is called outside Lambda. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** What every Connect command carries: the execution's key and, from a progressive flow, its cursor. */
export interface ConnectCommand {
  readonly key: ExecutionKey;
  /** Progressive answers: the parts of the answer the caller has heard; absent when the flow is not progressive. */
  readonly cursor?: number;
}

export interface ConnectUseCase<Command extends ConnectCommand> {
  /** Turns the raw event into a command; never throws. */
  parse(event: unknown): ConnectParseResult<Command>;
  /**
   * Does the work and returns the execution to report (shown with the command's cursor: `toConnectView`), or
   * the view to answer when the execution could not be read. `waitMs` is how long it may still wait for an
   * answer: the configured wait, cut to what the invocation has left minus its reserve.
   */
  run(command: Command, waitMs: number): Promise<Execution | ConnectView>;
}

export interface ConnectHandlerOptions {
  readonly mapping: ConnectMappingOptions;
  readonly observability: Observability;
  /** The configured wait (fast path or long-poll). */
  readonly waitMs: number;
  /** Kept back from the remaining invocation time to finish a failing store call and respond. */
  readonly reserveMs: number;
}

export type ConnectHandler = (event: unknown, context?: InvocationContext) => Promise<ConnectResponse>;

/**
 * Wraps a Connect-facing use case so that it never throws: a refused event, a store or dispatcher outage
 * or a bug all become `status: error` with a stable `errorCode`, because a thrown error makes Connect
 * retry the invocation (and retries are how work gets duplicated).
 */
export function connectHandler<Command extends ConnectCommand>(
  useCase: ConnectUseCase<Command>,
  { mapping, observability, waitMs, reserveMs }: ConnectHandlerOptions,
): ConnectHandler {
  const { logger, metrics } = observability;
  return async (event, context) => {
    const startedAt = Date.now();
    let turn: number | undefined;
    let cursor: number | undefined;
    try {
      const parsed = useCase.parse(event);
      if (!parsed.ok) {
        turn = parsed.turn;
        logger.warn("refused the Connect event", {
          errorCode: parsed.error.code,
          reason: parsed.error.message,
        });
        count(observability, "error", parsed.error.code);
        return toConnectErrorResponse(parsed.error, { turn });
      }
      const { key } = parsed.command;
      turn = key.turn;
      cursor = parsed.command.cursor;
      logger.appendKeys({
        contactId: parsed.contact.contactId,
        initialContactId: parsed.contact.initialContactId,
        turn: key.turn,
        executionId: formatKey(key),
      });
      const remaining = context === undefined ? Number.POSITIVE_INFINITY : context.getRemainingTimeInMillis();
      const result = await useCase.run(parsed.command, Math.max(0, Math.min(waitMs, remaining - reserveMs)));
      const execution = "contactId" in result ? result : undefined;
      const view = execution === undefined ? (result as ConnectView) : toConnectView(execution, cursor);
      const response = toConnectResponse(view, mapping);
      logger.info("answered Connect", {
        status: response.status,
        executionStatus: execution?.status ?? "unread",
        ...(response.errorCode === "" ? {} : { errorCode: response.errorCode }),
        ...(cursor === undefined ? {} : { cursor, nextCursor: Number(response.cursor) }),
        ...(observability.logContent && execution !== undefined
          ? { question: execution.input.question, answer: view.answer }
          : {}),
      });
      count(observability, response.status, response.errorCode === "" ? undefined : response.errorCode);
      return response;
    } catch (error) {
      const errorCode = errorCodeOf(error);
      logger.error("answering Connect with an error", { errorCode, error: error as Error });
      count(observability, "error", errorCode);
      return toConnectErrorResponse(error, {
        ...(turn === undefined ? {} : { turn }),
        ...(cursor === undefined ? {} : { cursor }),
      });
    } finally {
      metrics.addMetric("ResponseTime", MetricUnit.Milliseconds, Date.now() - startedAt);
      metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}

function count({ metrics }: Observability, status: string, errorCode: string | undefined): void {
  const metric = metrics.singleMetric();
  metric.addDimension("status", status);
  if (errorCode !== undefined) metric.addDimension("errorCode", errorCode);
  metric.addMetric("Responses", MetricUnit.Count, 1);
}
