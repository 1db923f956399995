/**
 * The streaming latency model of the north-star benchmark: how long a model takes to write each sentence of an
 * answer, so the bench knows when its first part could have been recorded (docs/latency-model.md).
 *
 * It mirrors the embedded FAQ model's (`@holdline/adapters-faq`, `latency-model.ts`): nothing until the time
 * to first token *F*, then the tokens at a steady pace, the answer done at its total *T* (`writingSchedule`);
 * the large pace of its `STREAMING_PACES` (0.8 s, 25 tokens/s), imported from there: one home for the figures
 * and their sources.
 *
 * What differs: the bench's column is the *total* generation time, so the answer's length follows from it at
 * that pace, *N* = (*T* − *F*) × *r* tokens, in sentences of the lengths below; and a token is one character
 * (synthetic Japanese, the sentence's 。 included).
 */
import { STREAMING_PACES, type StreamingPace } from "@holdline/adapters-faq/latency-model";
import { PartCutter } from "@holdline/domain/execution/answer-parts";
import type { Random } from "./seeded-random.ts";

export type { StreamingPace };

/**
 * The large-model pace (`STREAMING_PACES.large`, docs/latency-model.md "Per model size"): the pace at which a
 * progressive answer helps most.
 */
export const LARGE_MODEL_PACE: StreamingPace = STREAMING_PACES.large;

/** Sentence lengths in tokens (docs/latency-model.md, "Tokens and sentence lengths"). */
export const SENTENCE_TOKENS = {
  /** Issue 16's planning figure for the first sentence (the FAQ's slow answer opens with 12–14 tokens). */
  first: 30,
  /** Later sentences, drawn uniformly: the range of the FAQ's slow answer's later parts (ja-JP 17–44 tokens). */
  laterMin: 17,
  laterMax: 44,
  /** No answer is shorter than this (a 1 s answer at 25 tokens/s is a handful of tokens). */
  answerMin: 2,
} as const;

/** Synthetic Japanese the sentences are cut from, without punctuation: one token a character. */
const FILLER =
  "ホールケーキのご予約はお受け取りの二日前まで承っております店頭かお電話でどうぞ季節の果物を使ったケーキも" +
  "ご用意しておりますお誕生日のプレートやろうそくは無料でお付けいたします";

/** How many tokens an answer written at `pace` in `totalMs` in all has (at least `SENTENCE_TOKENS.answerMin`). */
export const answerTokens = (totalMs: number, pace: StreamingPace = LARGE_MODEL_PACE): number =>
  Math.max(
    SENTENCE_TOKENS.answerMin,
    Math.round((Math.max(0, totalMs - pace.firstTokenMs) * pace.tokensPerSecond) / 1_000),
  );

/**
 * The sentence lengths of an answer of `tokens` tokens: the first `SENTENCE_TOKENS.first` (or all of them),
 * later ones drawn from `random` within the later range, none shorter than its minimum (the last takes the
 * rest, the one before it shortened when needed).
 */
export function sentenceLengths(tokens: number, random: Random): number[] {
  const lengths = [Math.min(SENTENCE_TOKENS.first, tokens)];
  let remaining = tokens - (lengths[0] ?? 0);
  const { laterMin, laterMax } = SENTENCE_TOKENS;
  while (remaining > 0) {
    let length =
      remaining <= laterMax ? remaining : laterMin + Math.floor(random() * (laterMax - laterMin + 1));
    if (remaining - length > 0 && remaining - length < laterMin) length = remaining - laterMin;
    lengths.push(length);
    remaining -= length;
  }
  return lengths;
}

/** Japanese sentences of those lengths in characters, each ending with 。. */
export function composeAnswer(lengths: readonly number[]): string {
  let offset = 0;
  return lengths
    .map((length) => {
      let sentence = "";
      for (let index = 0; index < length - 1; index += 1) {
        sentence += FILLER[offset % FILLER.length];
        offset += 1;
      }
      return `${sentence}。`;
    })
    .join("");
}

/** One part of the answer and when the model has written its last token, in ms after the model call started. */
export interface ScheduledPart {
  readonly atMs: number;
  readonly text: string;
}

/** An answer as the model streams it. */
export interface StreamedAnswer {
  readonly locale: string;
  readonly text: string;
  readonly tokens: number;
  readonly totalMs: number;
  /** The parts `PartCutter` cuts as the tokens arrive, each at the moment its last token is written. */
  readonly parts: readonly ScheduledPart[];
}

/**
 * When each part of `text` is written by a model that takes `totalMs` in all: the first token at
 * `firstTokenMs` (or `totalMs`, if sooner), then one token (character) at a time at a steady pace that ends at
 * `totalMs`, as `writingSchedule` does; a part is complete when the token that ends it is written, and what
 * the cutter still holds at the end is complete at `totalMs`.
 */
export function streamSchedule(
  text: string,
  totalMs: number,
  firstTokenMs: number = LARGE_MODEL_PACE.firstTokenMs,
  locale = "ja-JP",
): StreamedAnswer {
  const tokens = [...text];
  const firstAt = Math.min(Math.max(0, firstTokenMs), totalMs);
  const perToken = tokens.length === 0 ? 0 : (totalMs - firstAt) / tokens.length;
  const cutter = new PartCutter(locale);
  const parts: ScheduledPart[] = [];
  tokens.forEach((token, index) => {
    const atMs = Math.min(totalMs, firstAt + perToken * (index + 1));
    for (const part of cutter.push(token)) parts.push({ atMs, text: part });
  });
  for (const part of cutter.end()) parts.push({ atMs: totalMs, text: part });
  return { locale, text, tokens: tokens.length, totalMs, parts };
}

/** The answer a model at `pace` writes in `totalMs`: its sentences drawn from `random`, its parts scheduled. */
export function streamedAnswer(
  totalMs: number,
  random: Random,
  pace: StreamingPace = LARGE_MODEL_PACE,
): StreamedAnswer {
  const text = composeAnswer(sentenceLengths(answerTokens(totalMs, pace), random));
  return streamSchedule(text, totalMs, pace.firstTokenMs);
}

/** When the first part is written, in ms after the model call started: the model's half of the physical limit. */
export const firstPartAtMs = (answer: StreamedAnswer): number => answer.parts[0]?.atMs ?? answer.totalMs;
