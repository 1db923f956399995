import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";

/** How long the local model "thinks" before answering `answer` to `request`. */
export type LatencyModel = (answer: string, request: LlmRequest) => number;

export const fixedLatency =
  (ms: number): LatencyModel =>
  () =>
    ms;

/**
 * Time to first token plus a steady rate per spoken character, roughly what a small hosted model
 * shows on a short answer (a Japanese character is about one token; English runs faster per character).
 */
export const modelLikeLatency =
  ({
    firstTokenMs = 800,
    perCharMs = 20,
  }: {
    firstTokenMs?: number;
    perCharMs?: number;
  } = {}): LatencyModel =>
  (answer) =>
    firstTokenMs + Math.round(answer.length * perCharMs);
