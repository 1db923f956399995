import type { Clock } from "@holdline/domain/ports/clock.port";
import type {
  LlmClient,
  LlmRequest,
  LlmResponse,
  PartListener,
} from "@holdline/domain/ports/llm-client.port";
import { ScriptedLlmClient, stream } from "@holdline/domain/testing/fakes/scripted-llm-client";
import type { StreamedAnswer } from "./streaming-model.ts";

/** A part of the answer the model handed to the caller's part listener, at clock time `at` (epoch ms). */
export interface HandedPart {
  readonly at: number;
  readonly text: string;
}

export interface ModelCall {
  readonly question: string;
  /** Clock time (epoch ms) the call started and the answer came back; `answeredAt` unset until then. */
  readonly startedAt: number;
  answeredAt?: number;
  /** Progressive answers: the parts handed to the listener, as they were handed (none without a listener). */
  readonly parts: HandedPart[];
}

/**
 * The model, with the moment each answer came back: the benchmark's zero for "how long after the model
 * finished did the caller hear the answer". Also what "one model call per (contact, turn)" is counted on.
 * Given a part listener (the worker records parts: progressive answers), it hands each part on as the model
 * writes it and notes when.
 */
export class TimedLlmClient implements LlmClient {
  readonly calls: ModelCall[] = [];

  constructor(
    private readonly inner: LlmClient,
    private readonly clock: Clock,
  ) {}

  /**
   * A model that streams `answer` (`streamedAnswer`: time to first token, tokens per second, sentence
   * lengths): each part handed to `onPart` when its last token is written, the whole answer at its total.
   */
  static streaming(clock: Clock, answer: StreamedAnswer): TimedLlmClient {
    const parts = answer.parts.map((part) => [part.atMs, part.text] as const);
    return new TimedLlmClient(new ScriptedLlmClient(clock, [stream(parts, answer.totalMs)]), clock);
  }

  async complete(request: LlmRequest, signal: AbortSignal, onPart?: PartListener): Promise<LlmResponse> {
    const call: ModelCall = { question: request.question, startedAt: this.clock.now(), parts: [] };
    this.calls.push(call);
    const response =
      onPart === undefined
        ? await this.inner.complete(request, signal)
        : await this.inner.complete(request, signal, (part) => {
            call.parts.push({ at: this.clock.now(), text: part });
            onPart(part);
          });
    call.answeredAt = this.clock.now();
    return response;
  }
}
