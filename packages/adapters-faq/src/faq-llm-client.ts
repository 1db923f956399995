import { joinParts, PartCutter } from "@holdline/domain/execution/answer-parts";
import { LlmError } from "@holdline/domain/errors";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type {
  LlmClient,
  LlmRequest,
  LlmResponse,
  PartListener,
} from "@holdline/domain/ports/llm-client.port";
import type { Faq } from "./faq.ts";
import { matchFaq } from "./faq-matcher.ts";
import { HANAMIZUKI_BAKERY_FAQ } from "./hanamizuki-bakery.faq.ts";
import {
  DEFAULT_FIRST_TOKEN_MS,
  type LatencyModel,
  modelLikeLatency,
  writingSchedule,
} from "./latency-model.ts";
import { estimateTokens } from "./token-estimate.ts";

export interface FaqLlmClientOptions {
  readonly clock: Clock;
  readonly faq?: Faq;
  /** The whole answer's time, question to last token; an entry's own `latencyMs` overrides it. */
  readonly latency?: LatencyModel;
  /** When the first token is written (at most the whole answer's time); the rest follow at a steady pace. */
  readonly firstTokenMs?: number;
}

export const FAQ_MODEL_PREFIX = "holdline-faq";

/**
 * The default model, for running Holdline with no AWS account: answers from a small FAQ in the
 * caller's language after a model-like delay on the given `Clock` (virtual time in tests), and
 * stops at the abort signal like any `LlmClient`.
 *
 * It streams as a hosted model does (docs/latency-model.md): nothing until the first token, then the
 * answer's tokens at a steady pace until the answer's time is up. Given `onPart`, it hands each part
 * (`PartCutter`, by the answer's locale) at the clock time the model would have written its last token.
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

  async complete(request: LlmRequest, signal: AbortSignal, onPart?: PartListener): Promise<LlmResponse> {
    if (signal.aborted) throw aborted(signal);
    this.callCount += 1;
    const match = matchFaq(this.faq, request.question, request.locale, request.history);
    const answer = match.entry?.answer ?? match.faqLocale.fallback;
    const latencyMs = match.entry?.latencyMs ?? this.latency(answer, request);
    const parts =
      onPart === undefined ? undefined : await this.write(answer, match.locale, latencyMs, signal, onPart);
    if (parts === undefined) await this.sleepUntil(this.options.clock.now() + latencyMs, signal);
    return {
      text: parts === undefined ? answer : joinParts(match.locale, parts),
      ...(parts === undefined ? {} : { parts }),
      usage: {
        inputTokens:
          estimateTokens(request.question) +
          request.history.reduce((sum, turn) => sum + estimateTokens(`${turn.question}${turn.answer}`), 0),
        outputTokens: estimateTokens(answer),
        latencyMs,
        modelId: `${FAQ_MODEL_PREFIX}/${this.faq.name}/${match.entry?.id ?? "fallback"}`,
      },
    };
  }

  /** Streams `answer` over `totalMs` on the clock, handing each part when its last token is written. */
  private async write(
    answer: string,
    locale: string,
    totalMs: number,
    signal: AbortSignal,
    onPart: PartListener,
  ): Promise<string[]> {
    const startedAt = this.options.clock.now();
    const cutter = new PartCutter(locale);
    const parts: string[] = [];
    const hand = (completed: readonly string[]) => {
      for (const part of completed) {
        parts.push(part);
        onPart(part);
      }
    };
    const firstTokenMs = this.options.firstTokenMs ?? DEFAULT_FIRST_TOKEN_MS;
    for (const piece of writingSchedule(answer, totalMs, firstTokenMs)) {
      const completed = cutter.push(piece.text);
      if (completed.length === 0) continue;
      await this.sleepUntil(startedAt + piece.atMs, signal);
      hand(completed);
    }
    await this.sleepUntil(startedAt + totalMs, signal);
    hand(cutter.end());
    return parts;
  }

  private async sleepUntil(at: number, signal: AbortSignal): Promise<void> {
    try {
      await this.options.clock.sleep(Math.max(0, at - this.options.clock.now()), signal);
    } catch {
      throw aborted(signal);
    }
    if (signal.aborted) throw aborted(signal);
  }
}

const aborted = (signal: AbortSignal): LlmError =>
  new LlmError("timeout", "the local model was stopped at its deadline", { cause: signal.reason });
