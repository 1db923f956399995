import { joinParts } from "@holdline/domain/execution/answer-parts";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/seeded-random.ts";
import {
  answerTokens,
  composeAnswer,
  firstPartAtMs,
  LARGE_MODEL_PACE,
  SENTENCE_TOKENS,
  sentenceLengths,
  streamedAnswer,
  streamSchedule,
} from "../../src/streaming-model.ts";

describe("the streaming model's answer", () => {
  it("is as long as the pace writes in the total: (T − F) × r tokens, never under the minimum", () => {
    // Act / Assess: 0.8 s to the first token, 25 tokens/s.
    expect(answerTokens(12_000)).toBe(280);
    expect(answerTokens(45_000)).toBe(1_105);
    expect(answerTokens(900)).toBe(3);
    expect(answerTokens(500)).toBe(SENTENCE_TOKENS.answerMin);
  });

  it("opens with a 30-token sentence, the later ones within 17–44 tokens, all of them adding up", () => {
    // Act
    const lengths = sentenceLengths(600, seededRandom("lengths"));

    // Assess
    expect(lengths[0]).toBe(30);
    expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(600);
    for (const length of lengths.slice(1)) {
      expect(length).toBeGreaterThanOrEqual(SENTENCE_TOKENS.laterMin);
      expect(length).toBeLessThanOrEqual(SENTENCE_TOKENS.laterMax);
    }
  });

  it("is one sentence when shorter than a first sentence", () => {
    expect(sentenceLengths(5, seededRandom("short"))).toEqual([5]);
    expect(sentenceLengths(35, seededRandom("short"))).toEqual([30, 5]);
  });

  it("writes each sentence as that many characters, the last one 。", () => {
    // Act
    const text = composeAnswer([3, 5]);

    // Assess
    expect([...text]).toHaveLength(8);
    expect(text.split("。")).toHaveLength(3);
    expect(text.endsWith("。")).toBe(true);
  });
});

describe("streamSchedule", () => {
  it("writes the first token at F and the rest steadily to T: the first 30-token part at F + 30 / r", () => {
    // Prepare: 280 tokens over 12 s, 40 ms a token.
    const text = composeAnswer(sentenceLengths(280, seededRandom("schedule")));

    // Act
    const answer = streamSchedule(text, 12_000, 800);

    // Assess
    expect(firstPartAtMs(answer)).toBeCloseTo(800 + 30 * 40, 6);
    expect(answer.parts.at(-1)?.atMs).toBe(12_000);
    expect(
      joinParts(
        "ja-JP",
        answer.parts.map((part) => part.text),
      ),
    ).toBe(text);
    const times = answer.parts.map((part) => part.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("has an answer shorter than its first sentence's minimum written whole at T", () => {
    // Prepare: five characters, under the ja-JP first part's six.
    const answer = streamSchedule(composeAnswer([5]), 1_000, 800);

    // Act / Assess
    expect(answer.parts).toEqual([{ atMs: 1_000, text: answer.text }]);
    expect(firstPartAtMs(answer)).toBe(1_000);
  });

  it("draws the same answer from the same seed (every row of a column faces the same call)", () => {
    // Act
    const a = streamedAnswer(25_000, seededRandom("call 7"));
    const b = streamedAnswer(25_000, seededRandom("call 7"));

    // Assess
    expect(a).toEqual(b);
    expect(a.tokens).toBe(answerTokens(25_000, LARGE_MODEL_PACE));
  });
});
