import type { ServiceIdentifier } from "inversify";
import type { ModelUsage } from "../execution/execution.ts";

export interface ConversationTurn {
  readonly question: string;
  readonly answer: string;
}

export interface LlmRequest {
  readonly question: string;
  readonly locale: string;
  /** Earlier turns of the same call, oldest first. */
  readonly history: readonly ConversationTurn[];
  /**
   * Epoch milliseconds at which the signal will abort the call. A client that retries uses it to give up
   * with the real cause (e.g. `throttled`) instead of sleeping into the abort.
   */
  readonly deadlineAt?: number;
}

export interface LlmResponse {
  /** Speakable text, never empty. */
  readonly text: string;
  readonly usage?: ModelUsage;
}

/**
 * Answers a caller's question. Aborting `signal` stops the work: the promise then rejects with an
 * `LlmError` (`timeout`) and never resolves with an answer. Failures reject with an `LlmError`
 * whose code classifies them (`throttled`, `timeout`, `validation`, `access_denied`, `model_error`,
 * `empty_answer`).
 */
export interface LlmClient {
  complete(request: LlmRequest, signal: AbortSignal): Promise<LlmResponse>;
}

export const LlmClientId: ServiceIdentifier<LlmClient> = Symbol.for("holdline.LlmClient");
