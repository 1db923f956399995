import type { Clock } from "@holdline/domain/ports/clock.port";
import type { LlmClient, LlmRequest, LlmResponse } from "@holdline/domain/ports/llm-client.port";

export interface ModelCall {
  readonly question: string;
  /** Clock time (epoch ms) the call started and the answer came back; `answeredAt` unset until then. */
  readonly startedAt: number;
  answeredAt?: number;
}

/**
 * The model, with the moment each answer came back: the benchmark's zero for "how long after the model
 * finished did the caller hear the answer". Also what "one model call per (contact, turn)" is counted on.
 */
export class TimedLlmClient implements LlmClient {
  readonly calls: ModelCall[] = [];

  constructor(
    private readonly inner: LlmClient,
    private readonly clock: Clock,
  ) {}

  async complete(request: LlmRequest, signal: AbortSignal): Promise<LlmResponse> {
    const call: ModelCall = { question: request.question, startedAt: this.clock.now() };
    this.calls.push(call);
    const response = await this.inner.complete(request, signal);
    call.answeredAt = this.clock.now();
    return response;
  }
}
