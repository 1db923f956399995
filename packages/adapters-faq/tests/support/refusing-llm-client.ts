import { LlmError, type LlmErrorCode } from "@holdline/domain/errors";
import type { LlmClient, LlmRequest, LlmResponse } from "@holdline/domain/ports/llm-client.port";

/** How a backend refuses a call. */
export interface Refusal {
  readonly code: LlmErrorCode;
  readonly retryable: boolean;
}

/**
 * Puts a refusing backend in front of a model that has none (the FAQ model cannot be throttled or
 * denied): `refuse` decides, per call (0-based), whether the call fails instead of reaching the model.
 */
export class RefusingLlmClient implements LlmClient {
  private callCount = 0;

  constructor(
    private readonly model: LlmClient,
    private readonly refuse: (request: LlmRequest, call: number) => Refusal | undefined,
  ) {}

  /** Every call, refused or passed on. */
  get calls(): number {
    return this.callCount;
  }

  async complete(request: LlmRequest, signal: AbortSignal): Promise<LlmResponse> {
    const refusal = this.refuse(request, this.callCount++);
    if (refusal === undefined) return this.model.complete(request, signal);
    throw new LlmError(refusal.code, `the backend refused the call with ${refusal.code}`, {
      retryable: refusal.retryable,
    });
  }
}
