import {
  HoldlineError,
  ItemTooLargeError,
  StaleExecutionError,
  StoreUnavailableError,
} from "@holdline/domain/errors";

/** Refusals for capacity: the request was valid, DynamoDB could not take it now. */
const THROTTLING_ERRORS = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
]);

/** No usable response: timeouts (ours or the handler's), aborted calls and socket-level failures. */
const TRANSPORT_ERROR_NAMES = new Set([
  "TimeoutError",
  "AbortError",
  "RequestTimeout",
  "RequestTimeoutException",
]);
const TRANSPORT_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
]);

/** DynamoDB's ValidationException texts for PutItem and UpdateItem over 400 KB (dynalite uses the same). */
const ITEM_TOO_LARGE = /item size( to update)? has exceeded the maximum allowed size/i;

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/**
 * Turns whatever the SDK threw into a domain error with a stable code:
 * conditional check failed → `stale_version`; item over 400 KB → `item_too_large`;
 * throttling, 5xx, timeouts and network failures → `store_unavailable` (retryable);
 * anything else (a missing table, denied access, a malformed request) → `internal_error`.
 */
export function toStoreError(error: unknown, what: string): HoldlineError {
  if (error instanceof HoldlineError) return error;
  const shape: SdkErrorShape = typeof error === "object" && error !== null ? error : {};
  const name = typeof shape.name === "string" ? shape.name : "Error";
  const message = typeof shape.message === "string" ? shape.message : String(error);
  const status = shape.$metadata?.httpStatusCode;
  const options = { cause: error };

  if (name === "ConditionalCheckFailedException") {
    return new StaleExecutionError(`${what}: the stored execution no longer matches`, options);
  }
  if (name === "ValidationException" && ITEM_TOO_LARGE.test(message)) {
    return new ItemTooLargeError(`${what}: ${message}`, options);
  }
  if (THROTTLING_ERRORS.has(name)) {
    return new StoreUnavailableError(`${what}: DynamoDB is throttling (${name})`, options);
  }
  if (shape.$fault === "server" || (typeof status === "number" && status >= 500)) {
    return new StoreUnavailableError(`${what}: DynamoDB failed (${name}, HTTP ${status ?? "?"})`, options);
  }
  if (
    TRANSPORT_ERROR_NAMES.has(name) ||
    (typeof shape.code === "string" && TRANSPORT_ERROR_CODES.has(shape.code))
  ) {
    return new StoreUnavailableError(`${what}: DynamoDB could not be reached (${name}: ${message})`, options);
  }
  return new HoldlineError("internal_error", `${what}: ${name}: ${message}`, options);
}

/**
 * One store call, capped at `timeoutMs` (SDK retries included) and its failure mapped to a domain error
 * (`toStoreError`): how both stores on the executions table send every request.
 */
export async function storeCall<T>(
  what: string,
  timeoutMs: number,
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    return await send(AbortSignal.timeout(timeoutMs));
  } catch (error) {
    throw toStoreError(error, what);
  }
}
