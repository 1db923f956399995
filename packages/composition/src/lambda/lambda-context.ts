import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";

/** The context Lambda hands a handler. */
export type LambdaContext = Context;

/**
 * Wraps a function's handler so that each log line of an invocation carries Lambda's request id
 * (`function_request_id`), the cold-start flag and the function's name, ARN and memory (Powertools Logger
 * `addContext`): an operator joins a turn's lines to Lambda's own START/REPORT lines by the request id, beside the
 * contactId, turn and executionId the handlers add. Called without a context (tests, local calls) it adds nothing.
 */
export function withLambdaContext<Event, Result>(
  logger: Logger,
  handler: (event: Event, context?: LambdaContext) => Promise<Result>,
): (event: Event, context?: LambdaContext) => Promise<Result> {
  return (event, context) => {
    if (context !== undefined) logger.addContext(context);
    return handler(event, context);
  };
}
