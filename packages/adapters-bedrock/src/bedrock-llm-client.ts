import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { LlmError } from "@holdline/domain/errors";
import type { ModelUsage } from "@holdline/domain/execution/execution";
import type { Clock } from "@holdline/domain/ports/clock.port";
import { cutParts, joinParts } from "@holdline/domain/execution/answer-parts";
import type {
  LlmClient,
  LlmRequest,
  LlmResponse,
  PartListener,
} from "@holdline/domain/ports/llm-client.port";
import { untilAborted } from "@holdline/domain/until-aborted";
import { classifyBedrockError } from "./bedrock-error-classifier.ts";
import { neutralizeDelimiters, newDelimiterTag } from "./caller-text.ts";
import { toConverseMessages } from "./converse-messages.ts";
import { ProgressiveAnswer } from "./progressive-answer.ts";
import { DEFAULT_RETRY_POLICY, fullJitterDelay, isWorthRetrying, type RetryPolicy } from "./retry-policy.ts";
import { DEFAULT_MAX_SPEAKABLE_CHARS, toSpeakable } from "./speakable.ts";
import { callerTextRulesFor, DEFAULT_SYSTEM_PROMPTS, systemPromptFor } from "./system-prompts.ts";

export interface BedrockGuardrail {
  readonly identifier: string;
  readonly version: string;
  readonly trace?: boolean;
  /** ConverseStream only: `sync` holds chunks until the guardrail has judged them. */
  readonly streamProcessingMode?: "sync" | "async";
}

export interface BedrockLlmClientOptions {
  /** Built once per process by `createBedrockClient` (SDK retries off). */
  readonly client: BedrockRuntimeClient;
  readonly clock: Clock;
  /** A model id, an inference-profile id (e.g. `jp.anthropic…`) or either's ARN. */
  readonly modelId: string;
  /** `converse` waits for the whole answer; `converse-stream` receives it in chunks. */
  readonly api?: "converse" | "converse-stream";
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** Per-locale system prompts, merged over the defaults (ja-JP, en-US). */
  readonly systemPrompts?: Readonly<Record<string, string>>;
  readonly guardrail?: BedrockGuardrail;
  readonly performanceConfig?: { readonly latency: "optimized" | "standard" };
  readonly maxSpeakableChars?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Jitter source in [0, 1); tests pin it. */
  readonly random?: () => number;
}

export const DEFAULT_MAX_TOKENS = 400;
export const DEFAULT_TEMPERATURE = 0.3;

interface ModelOutput {
  readonly text: string;
  readonly stopReason: string | undefined;
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
  readonly latencyMs: number | undefined;
}

/**
 * The `LlmClient` port on Amazon Bedrock's Converse API (or ConverseStream). The abort signal
 * cancels the HTTP request; throttling and service failures are retried with full-jitter backoff
 * while the signal, the attempt cap and the retry budget allow; the answer is made speakable.
 *
 * Progressive answers (`onPart`): on ConverseStream each speakable part is handed the moment the model
 * has written it (`ProgressiveAnswer`), and a failure after the first part is final (never retried: a part
 * is never handed twice). On Converse the parts of the whole answer are handed at once when it arrives,
 * so a caller of the port sees the same shape of response either way.
 */
export class BedrockLlmClient implements LlmClient {
  private readonly retry: RetryPolicy;
  private readonly prompts: Readonly<Record<string, string>>;
  private readonly random: () => number;

  constructor(private readonly options: BedrockLlmClientOptions) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.prompts = { ...DEFAULT_SYSTEM_PROMPTS, ...options.systemPrompts };
    this.random = options.random ?? Math.random;
  }

  async complete(request: LlmRequest, signal: AbortSignal, onPart?: PartListener): Promise<LlmResponse> {
    if (signal.aborted) throw abortedError(signal);
    if (request.question.trim() === "") throw new LlmError("validation", "the question is empty");
    if (neutralizeDelimiters(request.question).trim() === "") {
      throw new LlmError("validation", "the question is nothing but delimiter-like tags");
    }
    const { clock } = this.options;
    const progressive =
      onPart !== undefined && this.options.api === "converse-stream"
        ? new ProgressiveAnswer(request.locale, this.maxSpeakableChars, onPart, signal)
        : undefined;
    const started = clock.now();
    for (let attempt = 1; ; attempt++) {
      const attemptStarted = clock.now();
      let output: ModelOutput;
      try {
        // Rejects with `timeout` the moment the signal fires, even mid-stream: no answer after the abort.
        output = await untilAborted(this.call(request, signal, progressive), signal, (aborted) =>
          abortedError(aborted),
        );
      } catch (thrown) {
        const error = classifyBedrockError(thrown, signal);
        if (signal.aborted) throw error;
        // A part the caller may already be hearing cannot be taken back, nor handed again by a retry.
        if (progressive?.handedAny) throw error;
        if (!isWorthRetrying(error) || attempt >= this.retry.maxAttempts) throw error;
        const delay = fullJitterDelay(this.retry, attempt, this.random);
        const pastBudget =
          (this.retry.budgetMs !== undefined && clock.now() + delay - started > this.retry.budgetMs) ||
          (request.deadlineAt !== undefined && clock.now() + delay >= request.deadlineAt);
        if (pastBudget) throw error;
        try {
          await clock.sleep(delay, signal);
        } catch {
          throw abortedError(signal, error);
        }
        progressive?.restart();
        continue;
      }
      const usage = this.usageOf(output, clock.now() - attemptStarted);
      if (progressive !== undefined) {
        const parts = progressive.full
          ? progressive.parts
          : progressive.end(output.stopReason === "max_tokens");
        return { text: joinParts(request.locale, parts), parts: [...parts], usage };
      }
      const text = this.speakable(output, request);
      if (onPart === undefined) return { text, usage };
      // Converse: the whole answer at once, handed as the same parts a stream would have produced.
      const parts = cutParts(request.locale, text);
      for (const part of parts) onPart(part);
      return { text: joinParts(request.locale, parts), parts, usage };
    }
  }

  private get maxSpeakableChars(): number {
    return this.options.maxSpeakableChars ?? DEFAULT_MAX_SPEAKABLE_CHARS;
  }

  private call(
    request: LlmRequest,
    signal: AbortSignal,
    progressive: ProgressiveAnswer | undefined,
  ): Promise<ModelOutput> {
    return this.options.api === "converse-stream"
      ? this.converseStream(request, signal, progressive)
      : this.converse(request, signal);
  }

  private async converse(request: LlmRequest, signal: AbortSignal): Promise<ModelOutput> {
    const output = await this.options.client.send(new ConverseCommand(this.input(request)), {
      abortSignal: signal,
    });
    const blocks = output.output?.message?.content ?? [];
    return {
      text: blocks
        .map((block) => block.text)
        .filter((text): text is string => text !== undefined)
        .join("\n"),
      stopReason: output.stopReason,
      inputTokens: output.usage?.inputTokens,
      outputTokens: output.usage?.outputTokens,
      latencyMs: output.metrics?.latencyMs,
    };
  }

  private async converseStream(
    request: LlmRequest,
    signal: AbortSignal,
    progressive: ProgressiveAnswer | undefined,
  ): Promise<ModelOutput> {
    const { guardrailConfig, ...input } = this.input(request);
    const streamInput: ConverseStreamCommandInput = {
      ...input,
      ...(guardrailConfig === undefined
        ? {}
        : {
            guardrailConfig: {
              ...guardrailConfig,
              ...(this.options.guardrail?.streamProcessingMode === undefined
                ? {}
                : { streamProcessingMode: this.options.guardrail.streamProcessingMode }),
            },
          }),
    };
    // The request's own controller, so that an answer that reached its cap can cancel the rest of the stream.
    const cancel = new AbortController();
    const onAbort = () => cancel.abort(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    const textByBlock = new Map<number, string>();
    let stopReason: string | undefined;
    let usage: { inputTokens?: number; outputTokens?: number } | undefined;
    let latencyMs: number | undefined;
    try {
      const output = await this.options.client.send(new ConverseStreamCommand(streamInput), {
        abortSignal: cancel.signal,
      });
      let lastBlock: number | undefined;
      for await (const event of output.stream ?? []) {
        throwIfException(event);
        const delta = event.contentBlockDelta;
        if (delta?.delta?.text !== undefined) {
          const index = delta.contentBlockIndex ?? 0;
          textByBlock.set(index, (textByBlock.get(index) ?? "") + delta.delta.text);
          if (progressive !== undefined) {
            // Blocks are joined by a line end, as the whole answer's text joins them.
            if (lastBlock !== undefined && index !== lastBlock) progressive.push("\n");
            lastBlock = index;
            progressive.push(delta.delta.text);
            if (progressive.full) {
              // Nothing more will be spoken: stop paying for tokens (Bedrock then sends no usage).
              cancel.abort(new Error("the answer reached its length cap"));
              break;
            }
          }
        }
        if (event.messageStop !== undefined) stopReason = event.messageStop.stopReason;
        if (event.metadata !== undefined) {
          usage = event.metadata.usage;
          latencyMs = event.metadata.metrics?.latencyMs;
        }
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    return {
      text: [...textByBlock.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, text]) => text)
        .join("\n"),
      stopReason,
      inputTokens: usage?.inputTokens,
      outputTokens: usage?.outputTokens,
      latencyMs,
    };
  }

  /** Built per HTTP request (each attempt), each with a fresh delimiter tag. */
  private input(request: LlmRequest): ConverseCommandInput {
    const { guardrail, performanceConfig } = this.options;
    const tag = newDelimiterTag();
    return {
      modelId: this.options.modelId,
      system: [
        { text: systemPromptFor(request.locale, this.prompts) },
        { text: callerTextRulesFor(request.locale, tag) },
      ],
      messages: toConverseMessages(request, { tag, guarded: guardrail !== undefined }),
      inferenceConfig: {
        maxTokens: this.options.maxTokens ?? DEFAULT_MAX_TOKENS,
        temperature: this.options.temperature ?? DEFAULT_TEMPERATURE,
      },
      ...(guardrail === undefined
        ? {}
        : {
            guardrailConfig: {
              guardrailIdentifier: guardrail.identifier,
              guardrailVersion: guardrail.version,
              ...(guardrail.trace === undefined ? {} : { trace: guardrail.trace ? "enabled" : "disabled" }),
            },
          }),
      ...(performanceConfig === undefined
        ? {}
        : { performanceConfig: { latency: performanceConfig.latency } }),
    };
  }

  private speakable(output: ModelOutput, request: LlmRequest): string {
    return toSpeakable(output.text, {
      locale: request.locale,
      maxChars: this.maxSpeakableChars,
      truncated: output.stopReason === "max_tokens",
    });
  }

  private usageOf(output: ModelOutput, measuredMs: number): ModelUsage {
    return {
      inputTokens: output.inputTokens ?? 0,
      outputTokens: output.outputTokens ?? 0,
      latencyMs: output.latencyMs ?? measuredMs,
      modelId: this.options.modelId,
    };
  }
}

/** Exception events normally make the SDK throw; a union member that slips through is thrown here. */
function throwIfException(event: ConverseStreamOutput): void {
  const failure =
    event.internalServerException ??
    event.modelStreamErrorException ??
    event.serviceUnavailableException ??
    event.throttlingException ??
    event.validationException;
  if (failure !== undefined) throw failure;
}

const abortedError = (signal: AbortSignal, cause: unknown = signal.reason): LlmError =>
  new LlmError("timeout", "the model call was aborted at its deadline", { cause });
