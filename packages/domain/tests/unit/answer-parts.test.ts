import { describe, expect, it } from "vitest";
import { cutParts, joinParts, PartCutter } from "../../src/execution/answer-parts.ts";

describe("PartCutter", () => {
  it("cuts Japanese after 。！？, the first part early and later ones at least 20 characters", () => {
    const text =
      "はい、営業しております。本日は午前九時から午後六時まで開いております。日曜日は定休日です。祝日は通常どおり営業いたします！ご来店をお待ちしております。";

    const parts = cutParts("ja-JP", text);

    expect(parts[0]).toBe("はい、営業しております。");
    expect(parts.slice(1).every((part) => part.length >= 20 || part === parts.at(-1))).toBe(true);
    expect(joinParts("ja-JP", parts)).toBe(text);
  });

  it("cuts English after sentence punctuation followed by a space, never inside a number", () => {
    const text =
      "Yes, we are open today. We open at 9.30 in the morning and close at six in the evening. On Sundays we are closed! Holidays follow the usual hours.";

    const parts = cutParts("en-US", text);

    expect(parts[0]).toBe("Yes, we are open today.");
    expect(parts[1]).toBe("We open at 9.30 in the morning and close at six in the evening.");
    expect(joinParts("en-US", parts)).toBe(text);
  });

  it("joins sentences shorter than the minimum to the next", () => {
    const parts = cutParts(
      "en-US",
      "Yes. We are open today until six. Yes. No. Maybe so, we will see about that one.",
    );

    expect(parts[0]).toBe("Yes. We are open today until six.");
    expect(parts.slice(1)).toEqual(["Yes. No. Maybe so, we will see about that one."]);
  });

  it("gives the same parts however the text is streamed, each part once and in order", () => {
    const text =
      "はい、営業しております。本日は午前九時から午後六時まで開いております。\n日曜日は定休日です。祝日は通常どおり営業いたします。";
    const whole = cutParts("ja-JP", text);

    for (const size of [1, 2, 3, 7]) {
      const cutter = new PartCutter("ja-JP");
      const streamed: string[] = [];
      for (let i = 0; i < text.length; i += size) streamed.push(...cutter.push(text.slice(i, i + size)));
      streamed.push(...cutter.end());
      expect(streamed).toEqual(whole);
      expect(cutter.count).toBe(whole.length);
    }
  });

  it("returns a part as soon as its sentence is complete, before the rest is written", () => {
    const cutter = new PartCutter("en-US");

    expect(cutter.push("Yes, we are open")).toEqual([]);
    expect(cutter.push(" today. We open at")).toEqual(["Yes, we are open today."]);
    expect(cutter.end()).toEqual(["We open at"]);
  });

  it("cuts at line ends and never returns an empty part", () => {
    expect(
      cutParts("ja-JP", "\n\nこんにちは、ベーカリーです\n\n営業時間は九時から六時までとなっております\n"),
    ).toEqual(["こんにちは、ベーカリーです", "営業時間は九時から六時までとなっております"]);
    expect(cutParts("en-US", "   ")).toEqual([]);
  });
});
