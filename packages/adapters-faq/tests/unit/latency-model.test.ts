import { describe, expect, it } from "vitest";
import { fixedLatency, pacedLatency, STREAMING_PACES, writingSchedule } from "../../src/latency-model.ts";
import { estimateTokens, tokenPieces } from "../../src/token-estimate.ts";

const request = { question: "?", locale: "en-US", history: [] };

describe("the streaming latency model", () => {
  it("paces small, medium and large models at 0.5/0.8/0.8 s to the first token and 100/55/25 tokens a second", () => {
    expect(STREAMING_PACES).toEqual({
      small: { firstTokenMs: 500, tokensPerSecond: 100 },
      medium: { firstTokenMs: 800, tokensPerSecond: 55 },
      large: { firstTokenMs: 800, tokensPerSecond: 25 },
    });
  });

  it.each([
    ["large", "営業時間は九時からです。", 800 + (11 + 1) * 40],
    ["medium", "We open at nine.", 800 + Math.round((4 * 1_000) / 55)],
  ] as const)(
    "%s: takes the first token's time plus the tokens at the pace (%j)",
    (size, answer, expected) => {
      expect(pacedLatency(STREAMING_PACES[size])(answer, request)).toBe(expected);
    },
  );

  it("writes the first piece at the first token's time plus its token, the last at the answer's time, steadily", () => {
    // Act
    const schedule = writingSchedule("一二三四五六七八九十", 1_800, 800);

    // Assess
    expect(schedule.map((piece) => piece.atMs)).toEqual([
      900, 1_000, 1_100, 1_200, 1_300, 1_400, 1_500, 1_600, 1_700, 1_800,
    ]);
  });

  it("writes everything at the answer's time when that comes before the first token", () => {
    const schedule = writingSchedule("We open at nine.", fixedLatency(300)("", request), 800);

    expect(new Set(schedule.map((piece) => piece.atMs))).toEqual(new Set([300]));
  });

  it("cuts text into pieces of about a token (each Japanese character, other characters four at a time), adding up to estimateTokens", () => {
    // Act
    const pieces = tokenPieces("パンは7時から open");

    // Assess
    expect(pieces.map((piece) => piece.text)).toEqual(["パ", "ン", "は", "7", "時", "か", "ら", " ope", "n"]);
    expect(pieces.map((piece) => piece.text).join("")).toBe("パンは7時から open");
    expect(pieces.reduce((sum, piece) => sum + piece.tokens, 0)).toBe(estimateTokens("パンは7時から open"));
    expect(estimateTokens("パンは7時から open")).toBe(6 + 2);
  });
});
