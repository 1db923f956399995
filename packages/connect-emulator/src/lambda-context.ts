import type { Context } from "aws-lambda";
import { functionName } from "./lambda-function.ts";

export interface LambdaContextOptions {
  /** The ARN the function was invoked by, qualified or not. */
  readonly functionArn: string;
  readonly requestId: string;
  /** Epoch ms on `now`'s clock at which this attempt started. */
  readonly startedAt: number;
  /** The function's configured timeout. */
  readonly timeoutMs: number;
  /** The clock the remaining time counts down on (virtual in tests). */
  readonly now: () => number;
  readonly logStreamName: string;
}

/**
 * The `Context` Lambda hands a handler, for running one on this machine (the emulator's invocations and
 * local-call's simulated `Event` invocations): names derived from the ARN,
 * and `getRemainingTimeInMillis` counting down from the timeout on the given clock.
 */
export function lambdaContext(options: LambdaContextOptions): Context {
  const { functionArn, requestId, startedAt, timeoutMs, now, logStreamName } = options;
  const name = functionName(functionArn);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: functionArn,
    memoryLimitInMB: "1024",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, startedAt + timeoutMs - now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
