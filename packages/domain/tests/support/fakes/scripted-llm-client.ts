import { LlmError, type LlmErrorCode } from "../../../src/errors.ts";
import type { ModelUsage } from "../../../src/execution/execution.ts";
import type { Clock } from "../../../src/ports/clock.port.ts";
import type { LlmClient, LlmRequest, LlmResponse } from "../../../src/ports/llm-client.port.ts";

export type LlmStep =
  | {
      readonly kind: "answer";
      readonly text: string;
      readonly latencyMs: number;
      readonly usage?: ModelUsage;
    }
  | {
      readonly kind: "fail";
      readonly code: LlmErrorCode;
      readonly retryable: boolean;
      readonly latencyMs: number;
    }
  /** Never answers; only the abort signal ends the call. */
  | { readonly kind: "hang" };

export const answer = (text: string, latencyMs = 0): LlmStep => ({ kind: "answer", text, latencyMs });
export const failure = (code: LlmErrorCode, latencyMs = 0, retryable = false): LlmStep => ({
  kind: "fail",
  code,
  retryable,
  latencyMs,
});
export const throttle = (latencyMs = 0): LlmStep => failure("throttled", latencyMs, true);
export const hang = (): LlmStep => ({ kind: "hang" });

type Script = readonly LlmStep[] | ((request: LlmRequest, call: number) => LlmStep);

/**
 * An `LlmClient` that plays a script on a `Clock` (virtual or real): each call takes the next step,
 * and the last step repeats. Counts calls and keeps every request.
 */
export class ScriptedLlmClient implements LlmClient {
  readonly requests: LlmRequest[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly script: Script,
  ) {}

  get calls(): number {
    return this.requests.length;
  }

  async complete(request: LlmRequest, signal: AbortSignal): Promise<LlmResponse> {
    if (signal.aborted) throw aborted();
    const call = this.requests.length;
    this.requests.push(structuredClone(request));
    const step = this.stepFor(request, call);
    if (step.kind === "hang") {
      await new Promise<never>((_, reject) =>
        signal.addEventListener("abort", () => reject(aborted()), { once: true }),
      );
    }
    const latencyMs = step.kind === "hang" ? 0 : step.latencyMs;
    try {
      await this.clock.sleep(latencyMs, signal);
    } catch {
      throw aborted();
    }
    if (step.kind === "fail") {
      throw new LlmError(step.code, `scripted ${step.code}`, { retryable: step.retryable });
    }
    if (step.kind !== "answer") throw aborted();
    return { text: step.text, usage: step.usage ?? { inputTokens: 10, outputTokens: 20, latencyMs } };
  }

  private stepFor(request: LlmRequest, call: number): LlmStep {
    if (typeof this.script === "function") return this.script(request, call);
    const step = this.script[Math.min(call, this.script.length - 1)];
    if (step === undefined) throw new Error("ScriptedLlmClient needs at least one step");
    return step;
  }
}

const aborted = () => new LlmError("timeout", "the model call was aborted");
