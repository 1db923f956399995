import { LlmError, type LlmErrorCode } from "@holdline/domain/errors";

interface Classification {
  readonly code: LlmErrorCode;
  readonly retryable: boolean;
}

/** By exception name; stream exception events arrive with lower-camel names, hence the lower-casing. */
const BY_NAME: Readonly<Record<string, Classification>> = {
  throttlingexception: { code: "throttled", retryable: true },
  // A quota (e.g. tokens per day), not a burst: trying again within the same call will not help.
  servicequotaexceededexception: { code: "throttled", retryable: false },
  accessdeniedexception: { code: "access_denied", retryable: false },
  unrecognizedclientexception: { code: "access_denied", retryable: false },
  invalidsignatureexception: { code: "access_denied", retryable: false },
  expiredtokenexception: { code: "access_denied", retryable: false },
  credentialsprovidererror: { code: "access_denied", retryable: false },
  validationexception: { code: "validation", retryable: false },
  resourcenotfoundexception: { code: "validation", retryable: false },
  serializationexception: { code: "validation", retryable: false },
  modelerrorexception: { code: "model_error", retryable: false },
  modeltimeoutexception: { code: "model_error", retryable: true },
  modelnotreadyexception: { code: "model_error", retryable: true },
  modelstreamerrorexception: { code: "model_error", retryable: true },
  internalserverexception: { code: "model_error", retryable: true },
  serviceunavailableexception: { code: "model_error", retryable: true },
  // The HTTP/2 stream sat idle past the handler's requestTimeout.
  timeouterror: { code: "timeout", retryable: true },
};

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND"]);

/**
 * Maps whatever the SDK (or the network) threw to an `LlmError` with a stable code. Once `signal`
 * has aborted, every failure is a `timeout`: the deadline, not the symptom, is what happened.
 */
export function classifyBedrockError(error: unknown, signal: AbortSignal): LlmError {
  if (signal.aborted)
    return new LlmError("timeout", "the model call was aborted at its deadline", { cause: error });
  if (error instanceof LlmError) return error;
  const { code, retryable } = classificationOf(error);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new LlmError(code, message, { retryable, cause: error });
}

function classificationOf(error: unknown): Classification {
  if (!(error instanceof Error)) return { code: "model_error", retryable: false };
  const byName = BY_NAME[error.name.toLowerCase()];
  if (byName !== undefined) return byName;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === 429) return { code: "throttled", retryable: true };
  if (status === 401 || status === 403) return { code: "access_denied", retryable: false };
  if (status !== undefined && status >= 500) return { code: "model_error", retryable: true };
  if (status !== undefined && status >= 400) return { code: "validation", retryable: false };
  const networkCode = (error as { code?: unknown }).code;
  if (
    typeof networkCode === "string" &&
    (NETWORK_CODES.has(networkCode) || networkCode.startsWith("ERR_HTTP2"))
  ) {
    return { code: "model_error", retryable: true };
  }
  return { code: "model_error", retryable: false };
}
