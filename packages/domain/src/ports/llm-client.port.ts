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
  /**
   * Progressive answers: the speakable parts handed to `onPart`, in order, all of them (the last ones may
   * come only now, when the model is done). Absent from a client that does not stream.
   */
  readonly parts?: readonly string[];
  readonly usage?: ModelUsage;
}

/**
 * Progressive answers: told each speakable part of the answer as soon as it is complete (`PartCutter`), in
 * order, each once. It must not throw and must return quickly (the part is recorded in the background).
 */
export type PartListener = (part: string) => void;

/**
 * Answers a caller's question. Aborting `signal` stops the work: the promise then rejects with an
 * `LlmError` (`timeout`) and never resolves with an answer. Failures reject with an `LlmError`
 * whose code classifies them (`throttled`, `timeout`, `validation`, `access_denied`, `model_error`,
 * `empty_answer`). A client that streams hands each speakable part to `onPart` as the model writes it
 * (parts already handed stay handed if the call then fails); the response's `parts` are the same parts, and
 * its `text` is them joined (`joinParts`).
 */
export interface LlmClient {
  complete(request: LlmRequest, signal: AbortSignal, onPart?: PartListener): Promise<LlmResponse>;
}

export const LlmClientId: ServiceIdentifier<LlmClient> = Symbol.for("holdline.LlmClient");
