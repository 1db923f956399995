import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";
import { estimateTokens, tokenPieces } from "./token-estimate.ts";

/**
 * How long the local model takes to write `answer` to `request`, from the question to the last token. The
 * model streams the answer over that time (`writingSchedule`). Figures and sources: docs/latency-model.md.
 */
export type LatencyModel = (answer: string, request: LlmRequest) => number;

export const fixedLatency =
  (ms: number): LatencyModel =>
  () =>
    ms;

/** Time to first token of a hosted model on a short prompt (docs/latency-model.md). */
export const DEFAULT_FIRST_TOKEN_MS = 800;

/** A model's streaming pace: time to first token, then a steady rate of output tokens. */
export interface StreamingPace {
  readonly firstTokenMs: number;
  readonly tokensPerSecond: number;
}

/**
 * The streaming latency model per model size (docs/latency-model.md, with the published figures each rests
 * on): small (Haiku-class), medium (Sonnet-class), large (Opus-class, or a 405B open model).
 */
export const STREAMING_PACES: Readonly<Record<"small" | "medium" | "large", StreamingPace>> = {
  small: { firstTokenMs: 500, tokensPerSecond: 100 },
  medium: { firstTokenMs: DEFAULT_FIRST_TOKEN_MS, tokensPerSecond: 55 },
  large: { firstTokenMs: DEFAULT_FIRST_TOKEN_MS, tokensPerSecond: 25 },
};

/** Time to first token plus the answer's tokens (`estimateTokens`) at the pace's steady rate. */
export const pacedLatency =
  (pace: StreamingPace): LatencyModel =>
  (answer) =>
    pace.firstTokenMs + Math.round((estimateTokens(answer) * 1_000) / pace.tokensPerSecond);

/**
 * Time to first token plus a steady rate per spoken character, roughly what a small hosted model
 * shows on a short answer (a Japanese character is about one token; English runs faster per character).
 */
export const modelLikeLatency =
  ({
    firstTokenMs = DEFAULT_FIRST_TOKEN_MS,
    perCharMs = 20,
  }: {
    firstTokenMs?: number;
    perCharMs?: number;
  } = {}): LatencyModel =>
  (answer) =>
    firstTokenMs + Math.round(answer.length * perCharMs);

/** A piece of the answer and when the model has written it, in ms after the question. */
export interface WrittenPiece {
  readonly text: string;
  readonly atMs: number;
}

/**
 * When each piece of `answer` (`tokenPieces`, about a token each) is written, for an answer that takes
 * `totalMs` in all: nothing until the first token at `firstTokenMs` (or `totalMs`, if sooner), then the
 * tokens at a steady pace, the last one at `totalMs`. A piece is written at the end of its own token time,
 * so `firstTokenMs + perToken × tokens so far`: with `pacedLatency`'s total, about its rate.
 */
export function writingSchedule(
  answer: string,
  totalMs: number,
  firstTokenMs: number = DEFAULT_FIRST_TOKEN_MS,
): WrittenPiece[] {
  const pieces = tokenPieces(answer);
  const tokens = pieces.reduce((sum, piece) => sum + piece.tokens, 0);
  const firstAt = Math.min(Math.max(0, firstTokenMs), totalMs);
  const perToken = tokens === 0 ? 0 : (totalMs - firstAt) / tokens;
  let written = 0;
  return pieces.map((piece) => {
    written += piece.tokens;
    return { text: piece.text, atMs: Math.min(totalMs, Math.round(firstAt + perToken * written)) };
  });
}
