/** What the stub does with one call, whichever operation (Converse or ConverseStream) it arrives on. */
export type StubStep = StubAnswer | StubError | StubStreamFailure | StubHang;

export interface StubAnswer {
  readonly kind: "answer";
  readonly text: string;
  /** Wait before the response headers (time to first byte). */
  readonly latencyMs: number;
  /** Streaming only: the text split into these deltas; by default about four words or characters each. */
  readonly chunks?: readonly string[];
  /** Streaming only: pause between two deltas. */
  readonly chunkDelayMs: number;
  readonly stopReason: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** What the response reports as `metrics.latencyMs`. */
  readonly modelLatencyMs: number;
}

/** An AWS REST-JSON error response: status, `x-amzn-ErrorType` header and a `{ message }` body. */
export interface StubError {
  readonly kind: "error";
  readonly status: number;
  readonly type: string;
  readonly message: string;
  readonly latencyMs: number;
}

/**
 * Streaming only: a 200 response whose stream sends `textBefore` as deltas, then an exception event
 * (as Bedrock does when the model fails mid-answer). On Converse it behaves as a 424/500 error.
 */
export interface StubStreamFailure {
  readonly kind: "stream-failure";
  readonly textBefore: string;
  /** `textBefore` split into these deltas; by default about four words or characters each. */
  readonly chunks?: readonly string[];
  /** Pause between two deltas, and between the last delta and the exception. */
  readonly chunkDelayMs: number;
  /** The event name in the ConverseStream union, e.g. `modelStreamErrorException`. */
  readonly exception: string;
  readonly message: string;
}

/** Never responds; only the client going away ends the call. */
export interface StubHang {
  readonly kind: "hang";
}

export const answer = (
  text: string,
  options: Partial<Omit<StubAnswer, "kind" | "text">> = {},
): StubAnswer => ({
  kind: "answer",
  text,
  latencyMs: options.latencyMs ?? 0,
  chunkDelayMs: options.chunkDelayMs ?? 0,
  stopReason: options.stopReason ?? "end_turn",
  inputTokens: options.inputTokens ?? 42,
  outputTokens: options.outputTokens ?? Math.max(1, Math.ceil(text.length / 4)),
  modelLatencyMs: options.modelLatencyMs ?? 321,
  ...(options.chunks === undefined ? {} : { chunks: options.chunks }),
});

export const awsError = (status: number, type: string, message: string, latencyMs = 0): StubError => ({
  kind: "error",
  status,
  type,
  message,
  latencyMs,
});

export const throttling = (latencyMs = 0): StubError =>
  awsError(429, "ThrottlingException", "Too many requests, please wait before trying again.", latencyMs);
export const internalServerError = (latencyMs = 0): StubError =>
  awsError(
    500,
    "InternalServerException",
    "An internal server error occurred. Retry your request.",
    latencyMs,
  );
export const serviceUnavailable = (latencyMs = 0): StubError =>
  awsError(503, "ServiceUnavailableException", "The service is temporarily unavailable.", latencyMs);
export const accessDenied = (latencyMs = 0): StubError =>
  awsError(
    403,
    "AccessDeniedException",
    "You don't have access to the model with the specified model ID.",
    latencyMs,
  );
export const validationError = (message = "The provided request is not valid.", latencyMs = 0): StubError =>
  awsError(400, "ValidationException", message, latencyMs);
export const modelTimeout = (latencyMs = 0): StubError =>
  awsError(408, "ModelTimeoutException", "The model took too long to respond.", latencyMs);
export const modelError = (latencyMs = 0): StubError =>
  awsError(424, "ModelErrorException", "The model failed to process the request.", latencyMs);
export const streamFailure = (
  textBefore: string,
  exception = "modelStreamErrorException",
  message = "The model stream failed.",
): StubStreamFailure => ({ kind: "stream-failure", textBefore, chunkDelayMs: 0, exception, message });

/** A stream that sends these deltas, `chunkDelayMs` apart, then fails with an exception event. */
export const streamFailureAfter = (
  chunks: readonly string[],
  {
    chunkDelayMs = 0,
    exception = "modelStreamErrorException",
    message = "The model stream failed.",
  }: { chunkDelayMs?: number; exception?: string; message?: string } = {},
): StubStreamFailure => ({
  kind: "stream-failure",
  textBefore: chunks.join(""),
  chunks,
  chunkDelayMs,
  exception,
  message,
});
export const hang = (): StubHang => ({ kind: "hang" });
