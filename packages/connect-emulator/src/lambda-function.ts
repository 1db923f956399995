import type { ConnectContactFlowEvent, Context } from "aws-lambda";

/** A local stand-in for a Lambda function that Connect invokes: the real handlers fit as they are. */
export type LambdaHandler = (
  event: ConnectContactFlowEvent,
  context: Context,
) => Promise<Record<string, unknown>>;

export interface LambdaFunction {
  readonly handler: LambdaHandler;
  /**
   * The function's own timeout. An attempt still running then fails as "Task timed out" (and Connect may
   * retry it); the handler's promise cannot be killed, so its late result is ignored, as Lambda would.
   */
  readonly timeoutMs?: number;
  /** Whether Lambda throttles this attempt (1-based) before the handler runs; Connect retries throttles. */
  readonly throttle?: (attempt: number) => boolean;
}

/** Functions by ARN, as a flow names them in `LambdaFunctionARN`. */
export type LambdaFunctions = Readonly<Record<string, LambdaHandler | LambdaFunction>>;

/** Throw from a handler to be treated as Lambda throttling (`TooManyRequestsException`). */
export class ThrottledError extends Error {
  constructor(message = "Rate exceeded") {
    super(message);
    this.name = "TooManyRequestsException";
  }
}

export const asLambdaFunction = (entry: LambdaHandler | LambdaFunction): LambdaFunction =>
  typeof entry === "function" ? { handler: entry } : entry;

/** `arn:aws:lambda:region:account:function:name[:qualifier]` → `name`. */
export function functionName(arn: string): string {
  const parts = arn.split(":");
  return parts[6] ?? arn;
}
