import { LlmError } from "@holdline/domain/errors";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { LlmClient, LlmRequest, LlmResponse } from "@holdline/domain/ports/llm-client.port";
import type { Faq } from "./faq.ts";
import { matchFaq } from "./faq-matcher.ts";
import { HANAMIZUKI_BAKERY_FAQ } from "./hanamizuki-bakery.faq.ts";
import { type LatencyModel, modelLikeLatency } from "./latency-model.ts";
import { estimateTokens } from "./token-estimate.ts";

export interface FaqLlmClientOptions {
  readonly clock: Clock;
  readonly faq?: Faq;
  readonly latency?: LatencyModel;
}

export const FAQ_MODEL_PREFIX = "holdline-faq";

/**
 * The default model, for running Holdline with no AWS account: answers from a small FAQ in the
 * caller's language after a model-like delay on the given `Clock` (virtual time in tests), and
 * stops at the abort signal like any `LlmClient`.
 */
export class FaqLlmClient implements LlmClient {
  private readonly faq: Faq;
  private readonly latency: LatencyModel;
  private callCount = 0;

  constructor(private readonly options: FaqLlmClientOptions) {
    this.faq = options.faq ?? HANAMIZUKI_BAKERY_FAQ;
    this.latency = options.latency ?? modelLikeLatency();
  }

  /** Calls that reached the model (an already aborted call does not). */
  get calls(): number {
    return this.callCount;
  }

  async complete(request: LlmRequest, signal: AbortSignal): Promise<LlmResponse> {
    if (signal.aborted) throw aborted(signal);
    this.callCount += 1;
    const match = matchFaq(this.faq, request.question, request.locale, request.history);
    const text = match.entry?.answer ?? match.faqLocale.fallback;
    const latencyMs = match.entry?.latencyMs ?? this.latency(text, request);
    await this.think(latencyMs, signal);
    return {
      text,
      usage: {
        inputTokens:
          estimateTokens(request.question) +
          request.history.reduce((sum, turn) => sum + estimateTokens(`${turn.question}${turn.answer}`), 0),
        outputTokens: estimateTokens(text),
        latencyMs,
        modelId: `${FAQ_MODEL_PREFIX}/${this.faq.name}/${match.entry?.id ?? "fallback"}`,
      },
    };
  }

  private async think(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await this.options.clock.sleep(ms, signal);
    } catch {
      throw aborted(signal);
    }
    if (signal.aborted) throw aborted(signal);
  }
}

const aborted = (signal: AbortSignal): LlmError =>
  new LlmError("timeout", "the local model was stopped at its deadline", { cause: signal.reason });
