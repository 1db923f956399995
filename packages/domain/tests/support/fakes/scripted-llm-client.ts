import { LlmError, type LlmErrorCode } from "../../../src/errors.ts";
import { joinParts } from "../../../src/execution/answer-parts.ts";
import type { ModelUsage } from "../../../src/execution/execution.ts";
import type { Clock } from "../../../src/ports/clock.port.ts";
import type { LlmClient, LlmRequest, LlmResponse, PartListener } from "../../../src/ports/llm-client.port.ts";

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
  | { readonly kind: "hang" }
  /**
   * A streaming model: hands each part to the call's part listener when it has written it (`atMs` after the
   * call started), then at `latencyMs` answers with every part (the text is them joined), or fails with `fail`
   * (the parts handed over stay handed over).
   */
  | {
      readonly kind: "stream";
      readonly parts: readonly StreamedPart[];
      readonly latencyMs: number;
      readonly fail?: LlmErrorCode;
      readonly usage?: ModelUsage;
    };

export interface StreamedPart {
  readonly atMs: number;
  readonly text: string;
}

export const answer = (text: string, latencyMs = 0): LlmStep => ({ kind: "answer", text, latencyMs });
export const failure = (code: LlmErrorCode, latencyMs = 0, retryable = false): LlmStep => ({
  kind: "fail",
  code,
  retryable,
  latencyMs,
});
export const throttle = (latencyMs = 0): LlmStep => failure("throttled", latencyMs, true);
export const hang = (): LlmStep => ({ kind: "hang" });
/** `stream([[800, "Yes."], [2_000, "We open at nine."]], 3_000)`: parts at 0.8 s and 2 s, done at 3 s. */
export const stream = (
  parts: readonly (readonly [atMs: number, text: string])[],
  latencyMs: number,
  options: { readonly fail?: LlmErrorCode } = {},
): LlmStep => ({
  kind: "stream",
  parts: parts.map(([atMs, text]) => ({ atMs, text })),
  latencyMs,
  ...(options.fail === undefined ? {} : { fail: options.fail }),
});

type Script = readonly LlmStep[] | ((request: LlmRequest, call: number) => LlmStep);

/**
 * An `LlmClient` that plays a script on a `Clock` (virtual or real): each call takes the next step,
 * and the last step repeats. Counts calls and keeps every request, and whether each was given a part listener.
 */
export class ScriptedLlmClient implements LlmClient {
  readonly requests: LlmRequest[] = [];
  /** Per call: whether it was given a part listener (progressive answers). */
  readonly listened: boolean[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly script: Script,
  ) {}

  get calls(): number {
    return this.requests.length;
  }

  async complete(request: LlmRequest, signal: AbortSignal, onPart?: PartListener): Promise<LlmResponse> {
    if (signal.aborted) throw aborted();
    const call = this.requests.length;
    this.requests.push(structuredClone(request));
    this.listened.push(onPart !== undefined);
    const step = this.stepFor(request, call);
    if (step.kind === "stream") return this.stream(step, request, signal, onPart);
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

  private async stream(
    step: Extract<LlmStep, { kind: "stream" }>,
    request: LlmRequest,
    signal: AbortSignal,
    onPart: PartListener | undefined,
  ): Promise<LlmResponse> {
    const startedAt = this.clock.now();
    const until = async (atMs: number) => {
      try {
        await this.clock.sleep(Math.max(0, startedAt + atMs - this.clock.now()), signal);
      } catch {
        throw aborted();
      }
    };
    const texts: string[] = [];
    for (const part of [...step.parts].sort((a, b) => a.atMs - b.atMs)) {
      await until(part.atMs);
      texts.push(part.text);
      onPart?.(part.text);
    }
    await until(step.latencyMs);
    if (step.fail !== undefined)
      throw new LlmError(step.fail, `scripted ${step.fail} after ${texts.length} parts`);
    return {
      text: joinParts(request.locale, texts),
      parts: texts,
      usage: step.usage ?? { inputTokens: 10, outputTokens: 20, latencyMs: step.latencyMs },
    };
  }

  private stepFor(request: LlmRequest, call: number): LlmStep {
    if (typeof this.script === "function") return this.script(request, call);
    const step = this.script[Math.min(call, this.script.length - 1)];
    if (step === undefined) throw new Error("ScriptedLlmClient needs at least one step");
    return step;
  }
}

const aborted = () => new LlmError("timeout", "the model call was aborted");
