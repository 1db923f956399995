import type { Clock } from "@holdline/domain/ports/clock.port";
import type { ConnectContactFlowEvent } from "aws-lambda";
import { EmulatorError } from "./emulator-errors.ts";
import { lambdaContext } from "./lambda-context.ts";
import {
  asLambdaFunction,
  functionName,
  type LambdaFunction,
  type LambdaFunctions,
} from "./lambda-function.ts";
import type { AttemptRecord, InvocationErrorType, InvocationOutcome } from "./timeline.ts";

/** Connect's documented limits on a Lambda invocation from a flow (see docs/connect-emulator.md). */
export const CONNECT_LAMBDA_LIMITS = {
  maxSyncTimeLimitSeconds: 8,
  maxAsyncTimeLimitSeconds: 60,
  /** Retries after the first attempt, within the time limit, when the function errors or is throttled. */
  maxRetries: 3,
  /** A response must be smaller than this (32 KB of UTF-8 JSON). */
  maxResponseBytes: 32_768,
} as const;

export interface InvocationLatency {
  /** Network and Lambda service time before each attempt's handler starts. */
  readonly invocationOverheadMs: number;
  /** Before the first attempt of an asynchronous invocation starts. */
  readonly asyncDispatchMs: number;
  /** Pause before a retry (Connect does not document its backoff). */
  readonly retryDelayMs: number;
}

export const defaultInvocationLatency: InvocationLatency = {
  invocationOverheadMs: 30,
  asyncDispatchMs: 50,
  retryDelayMs: 100,
};

export interface InvocationRequest {
  readonly invocationId: string;
  readonly functionArn: string;
  readonly mode: "SYNCHRONOUS" | "ASYNCHRONOUS";
  readonly limitMs: number;
  readonly responseType: "STRING_MAP" | "JSON";
  readonly event: ConnectContactFlowEvent;
}

export interface InvocationReport {
  readonly outcome: Exclude<InvocationOutcome, { status: "dispatched" }>;
  /** Live: attempts still running when Connect gave up are updated when their handler settles. */
  readonly attempts: readonly AttemptRecord[];
}

export interface LateResult {
  readonly invocationId: string;
  readonly functionName: string;
  readonly attempt: number;
  readonly result: string;
}

interface InvokerDependencies {
  readonly clock: Clock;
  readonly functions: LambdaFunctions;
  readonly latency: InvocationLatency;
  /** Keeps a handler promise that outlives the flow's interest in it. */
  readonly track: (work: Promise<unknown>) => void;
  readonly onLateResult: (late: LateResult) => void;
  /** Milliseconds since the call started. */
  readonly relative: (epochMs: number) => number;
  readonly newRequestId: () => string;
}

type Settled =
  | { readonly kind: "returned"; readonly value: unknown }
  | { readonly kind: "threw"; readonly error: unknown };

type MutableAttempt = { -readonly [K in keyof AttemptRecord]: AttemptRecord[K] };

const isThrottle = (error: unknown) =>
  error instanceof Error &&
  (error.name === "TooManyRequestsException" || error.name === "ThrottlingException");

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * Invokes a local handler the way Connect invokes a Lambda function: up to 3 retries within the time limit
 * when the function errors or is throttled; at the limit the flow gets an error while the handler keeps
 * running; the response validated as STRING_MAP or JSON and refused over 32 KB.
 */
export class LambdaInvoker {
  constructor(private readonly deps: InvokerDependencies) {}

  async invoke(request: InvocationRequest): Promise<InvocationReport> {
    const fn = this.lookup(request.functionArn);
    const { clock, latency } = this.deps;
    const deadline = clock.now() + request.limitMs;
    const attempts: MutableAttempt[] = [];
    let failure: { errorType: InvocationErrorType; message: string } = {
      errorType: "timeout",
      message: `no response within ${request.limitMs} ms`,
    };
    const fail = (errorType: InvocationErrorType, message: string): InvocationReport => ({
      outcome: { status: "error", errorType, message },
      attempts,
    });

    for (let attemptNumber = 1; attemptNumber <= 1 + CONNECT_LAMBDA_LIMITS.maxRetries; attemptNumber++) {
      const overhead =
        attemptNumber === 1
          ? request.mode === "ASYNCHRONOUS"
            ? latency.asyncDispatchMs
            : latency.invocationOverheadMs
          : latency.retryDelayMs + latency.invocationOverheadMs;
      await clock.sleep(Math.max(0, Math.min(overhead, deadline - clock.now())));
      if (clock.now() >= deadline) break;

      const attemptStart = clock.now();
      const attempt: MutableAttempt = {
        attempt: attemptNumber,
        at: this.deps.relative(attemptStart),
        result: "running",
      };
      attempts.push(attempt);
      if (fn.throttle?.(attemptNumber) === true) {
        Object.assign(attempt, { result: "throttled", endAt: attempt.at, message: "Rate exceeded" });
        failure = { errorType: "throttled", message: "throttled on every attempt" };
        continue;
      }

      const running = this.run(fn, request, attemptStart);
      this.deps.track(running);
      const functionDeadline =
        fn.timeoutMs === undefined ? Number.POSITIVE_INFINITY : attemptStart + fn.timeoutMs;
      const stopAt = Math.min(deadline, functionDeadline);
      const timer = new AbortController();
      const timedOut = clock.sleep(stopAt - clock.now(), timer.signal).then(
        () => "timer" as const,
        () => "cancelled" as const,
      );
      const first = await Promise.race([running, timedOut]);

      if (first === "timer" || first === "cancelled") {
        if (functionDeadline <= deadline) {
          // The function's own timeout: Lambda reports an error, and Connect retries within its limit.
          Object.assign(attempt, {
            result: "function_timeout",
            endAt: this.deps.relative(clock.now()),
            message: `Task timed out after ${fn.timeoutMs} ms`,
          });
          this.reportLate(running, request, attempt, false);
          failure = { errorType: "function_error", message: `Task timed out after ${fn.timeoutMs} ms` };
          continue;
        }
        this.reportLate(running, request, attempt, true);
        return fail("timeout", `no response within the ${request.limitMs} ms invocation limit`);
      }
      timer.abort();
      attempt.endAt = this.deps.relative(clock.now());

      if (first.kind === "threw") {
        attempt.result = isThrottle(first.error) ? "throttled" : "threw";
        attempt.message = describe(first.error);
        failure = isThrottle(first.error)
          ? { errorType: "throttled", message: describe(first.error) }
          : { errorType: "function_error", message: describe(first.error) };
        continue;
      }
      attempt.result = "returned";
      const checked = validateResponse(first.value, request.responseType);
      if ("errorType" in checked) return fail(checked.errorType, checked.message);
      return { outcome: { status: "success", response: checked.response }, attempts };
    }
    return fail(failure.errorType, failure.message);
  }

  /** Throws `no_handler` now rather than when an asynchronous attempt starts. */
  assertHandler(arn: string): void {
    this.lookup(arn);
  }

  private lookup(arn: string): LambdaFunction {
    const entry = this.deps.functions[arn] ?? this.deps.functions[arn.split(":").slice(0, 7).join(":")];
    if (entry === undefined) {
      throw new EmulatorError(
        "no_handler",
        `no local handler for ${arn}; map it in ConnectEmulator's functions (known: ${Object.keys(this.deps.functions).join(", ") || "none"})`,
      );
    }
    return asLambdaFunction(entry);
  }

  private async run(fn: LambdaFunction, request: InvocationRequest, attemptStart: number): Promise<Settled> {
    const { clock } = this.deps;
    const timeoutMs = fn.timeoutMs ?? 900_000;
    const context = lambdaContext({
      functionArn: request.functionArn,
      requestId: this.deps.newRequestId(),
      startedAt: attemptStart,
      timeoutMs,
      now: () => clock.now(),
      logStreamName: "emulated",
    });
    try {
      return { kind: "returned", value: await fn.handler(structuredClone(request.event), context) };
    } catch (error) {
      return { kind: "threw", error };
    }
  }

  private reportLate(
    running: Promise<Settled>,
    request: InvocationRequest,
    attempt: MutableAttempt,
    updateAttempt: boolean,
  ) {
    void running.then((settled) => {
      const endAt = this.deps.relative(this.deps.clock.now());
      const result =
        settled.kind === "returned"
          ? `returned ${JSON.stringify(settled.value)}`
          : `threw ${describe(settled.error)}`;
      if (updateAttempt) {
        Object.assign(attempt, {
          endAt,
          result: settled.kind,
          ...(settled.kind === "threw" ? { message: describe(settled.error) } : {}),
        });
      }
      this.deps.onLateResult({
        invocationId: request.invocationId,
        functionName: functionName(request.functionArn),
        attempt: attempt.attempt,
        result,
      });
    });
  }
}

/**
 * Connect's checks on a response. Both validations need a JSON object under 32 KB. `JSON` keeps it as it is,
 * nested objects included (arrays too, though a flow cannot reference them). `STRING_MAP` wants a flat object:
 * a nested object or array is refused (the Error branch); numbers and booleans are read as their text, as
 * AWS's own tutorial relies on (it returns a number and reads it as `$.External.customerBalance`); `null`
 * reads as empty. See docs/connect-emulator.md, "Points of doubt", for how sure each of these is.
 */
export function validateResponse(
  value: unknown,
  responseType: "STRING_MAP" | "JSON",
): { response: unknown } | { errorType: InvocationErrorType; message: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      errorType: "invalid_response",
      message: `the function returned ${JSON.stringify(value)}, not an object`,
    };
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    return { errorType: "invalid_response", message: `the response is not JSON: ${describe(error)}` };
  }
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes >= CONNECT_LAMBDA_LIMITS.maxResponseBytes) {
    return {
      errorType: "response_too_large",
      message: `the response is ${bytes} bytes; Connect accepts less than ${CONNECT_LAMBDA_LIMITS.maxResponseBytes}`,
    };
  }
  const parsed = JSON.parse(json) as Record<string, unknown>;
  if (responseType === "JSON") return { response: parsed };
  const flat: Record<string, string | null> = {};
  for (const [key, entry] of Object.entries(parsed)) {
    if (entry !== null && typeof entry === "object") {
      return {
        errorType: "invalid_response",
        message: `STRING_MAP: "${key}" is ${Array.isArray(entry) ? "an array" : "an object"}; a STRING_MAP response must be flat (use JSON validation for nested values)`,
      };
    }
    flat[key] = entry === null ? null : String(entry);
  }
  return { response: flat };
}
