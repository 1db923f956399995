import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../src/token-estimate.ts";

describe("estimateTokens", () => {
  it.each([
    ["営業時間", 4],
    ["We open at 9", 3],
    ["パンは7時から", 6 + 1],
    ["", 0],
  ])("counts %j as about %i tokens: one per Japanese character, one per four others", (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });
});
