import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { describe, expect, it } from "vitest";
import { streamSchedule } from "../../src/streaming-model.ts";
import { TimedLlmClient } from "../../src/timed-llm-client.ts";

const REQUEST = { question: "予約は？", locale: "ja-JP", history: [] };

describe("TimedLlmClient.streaming", () => {
  it("hands each part to the listener when it is written and notes when; answers the whole text at the total", async () => {
    // Prepare
    const clock = new ManualClock(0);
    const answer = streamSchedule(
      "はい承っております。店頭でもお電話でもどうぞお申し付けください。",
      3_000,
      800,
    );
    const model = TimedLlmClient.streaming(clock, answer);
    const heard: [number, string][] = [];

    // Act
    const response = await clock.run(
      model.complete(REQUEST, new AbortController().signal, (part) => heard.push([clock.now(), part])),
    );

    // Assess
    expect(heard).toEqual(answer.parts.map((part) => [part.atMs, part.text]));
    expect(model.calls[0]?.parts).toEqual(answer.parts.map((part) => ({ at: part.atMs, text: part.text })));
    expect(model.calls[0]?.answeredAt).toBe(3_000);
    expect(response.text).toBe(answer.text);
  });

  it("without a listener, answers the same text at the same moment and notes no part", async () => {
    // Prepare
    const clock = new ManualClock(0);
    const answer = streamSchedule(
      "はい承っております。店頭でもお電話でもどうぞお申し付けください。",
      3_000,
      800,
    );
    const model = TimedLlmClient.streaming(clock, answer);

    // Act
    const response = await clock.run(model.complete(REQUEST, new AbortController().signal));

    // Assess
    expect(response.text).toBe(answer.text);
    expect(model.calls[0]).toMatchObject({ startedAt: 0, answeredAt: 3_000, parts: [] });
  });
});
