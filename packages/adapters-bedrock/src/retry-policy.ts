import type { LlmError } from "@holdline/domain/errors";

export interface RetryPolicy {
  /** Calls to Bedrock per `complete`, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Time from the start of `complete` after which no retry is started: a backoff that would end
   * later gives up at once with the last error. Without it only the abort signal and `maxAttempts`
   * bound the retries.
   */
  readonly budgetMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** Only a busy or failing service is worth another call; a refusal or a bad request is not. */
export const isWorthRetrying = (error: LlmError): boolean =>
  error.retryable && (error.code === "throttled" || error.code === "model_error");

/** "Full jitter": a uniformly random wait up to the capped exponential delay for this retry (1-based). */
export const fullJitterDelay = (policy: RetryPolicy, retry: number, random: () => number): number =>
  Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)));
