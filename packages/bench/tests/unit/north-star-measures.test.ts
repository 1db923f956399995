import type { TimelineEvent } from "@holdline/connect-emulator/timeline";
import { describe, expect, it } from "vitest";
import {
  cutShortBy,
  errorCodesOf,
  firstPartOfEachPrompt,
  firstResponseStatus,
  type HeardPrompt,
  longestGapAhead,
  partGaps,
  promptsOf,
  questionEndAt,
} from "../../src/north-star-measures.ts";

const prompt = (
  identifier: string,
  at: number,
  endAt: number,
  text: string,
  interrupted = false,
): TimelineEvent => ({
  kind: "prompt",
  identifier,
  at,
  endAt,
  text,
  interrupted,
});

const TIMELINE: readonly TimelineEvent[] = [
  prompt("greet", 0, 4_000, "こんにちは。"),
  { kind: "caller-input", at: 6_000, identifier: "ask-question", mode: "speech", value: "予約は？" },
  {
    kind: "invocation",
    at: 6_300,
    endAt: 8_000,
    identifier: "invoke-start",
    invocationId: "1",
    functionName: "start",
    mode: "SYNCHRONOUS",
    outcome: { status: "success", response: { status: "partial", errorCode: "" } },
    attempts: [],
  },
  prompt("say-part", 8_000, 11_000, "はい。"),
  {
    kind: "async-result",
    at: 11_100,
    invocationId: "2",
    functionName: "answer",
    outcome: { status: "success", response: { status: "error", errorCode: "dispatch_failed" } },
  },
  prompt("say-answer", 11_100, 15_000, "承ります。どうぞ。", true),
  { kind: "branch", at: 15_000, identifier: "wait-for-answer", type: "Wait", result: "WaitCompleted" },
  { kind: "caller-input", at: 18_000, identifier: "ask-more", mode: "speech", value: "以上です。" },
];

describe("reading a call's timeline", () => {
  it("ends the question at the caller's first input", () => {
    expect(questionEndAt(TIMELINE)).toBe(6_000);
    expect(questionEndAt([])).toBeUndefined();
  });

  it("keeps the prompts of the given actions, in order, with whether they were cut short", () => {
    // Act
    const prompts = promptsOf(TIMELINE, ["say-part", "say-answer"]);

    // Assess
    expect(prompts.map((heard) => [heard.at, heard.text, heard.interrupted])).toEqual([
      [8_000, "はい。", false],
      [11_100, "承ります。どうぞ。", true],
    ]);
  });

  it("collects the error codes Lambdas answered with, synchronously or not", () => {
    expect(errorCodesOf(TIMELINE)).toEqual(["dispatch_failed"]);
  });

  it("reads the status of an action's first response", () => {
    expect(firstResponseStatus(TIMELINE, "invoke-start")).toBe("partial");
    expect(firstResponseStatus(TIMELINE, "invoke-status")).toBeUndefined();
  });

  it("names the branch the flow took when it cut a prompt of the answer short", () => {
    // Prepare
    const prompts = promptsOf(TIMELINE, ["say-part", "say-answer"]);

    // Act / Assess
    expect(cutShortBy(TIMELINE, prompts)).toBe("`wait-for-answer` WaitCompleted");
    expect(cutShortBy(TIMELINE, prompts.slice(0, 1))).toBeUndefined();
    expect(cutShortBy([{ kind: "hang-up", at: 15_000 }], prompts)).toBe("the caller hung up");
  });
});

describe("firstPartOfEachPrompt", () => {
  const parts = ["はい。", "承ります。", "どうぞ。"];

  it("finds the part each prompt starts with when the prompts are the parts, some joined", () => {
    expect(firstPartOfEachPrompt(["はい。", "承ります。どうぞ。"], parts, "")).toEqual([0, 1]);
    expect(firstPartOfEachPrompt(["はい。承ります。どうぞ。"], parts, "")).toEqual([0]);
    expect(
      firstPartOfEachPrompt(["Yes.", "We open. At nine."], ["Yes.", "We open.", "At nine."], " "),
    ).toEqual([0, 1]);
  });

  it("is undefined for a part lost, repeated, out of order, cut, or not all heard", () => {
    expect(firstPartOfEachPrompt(["はい。", "どうぞ。"], parts, "")).toBeUndefined();
    expect(firstPartOfEachPrompt(["はい。", "はい。", "承ります。どうぞ。"], parts, "")).toBeUndefined();
    expect(firstPartOfEachPrompt(["承ります。", "はい。", "どうぞ。"], parts, "")).toBeUndefined();
    expect(firstPartOfEachPrompt(["はい。承ります", "。どうぞ。"], parts, "")).toBeUndefined();
    expect(firstPartOfEachPrompt(["はい。", "承ります。"], parts, "")).toBeUndefined();
  });
});

describe("partGaps", () => {
  const heard = (at: number, endAt: number, text: string): HeardPrompt => ({
    identifier: "say-part",
    at,
    endAt,
    text,
    interrupted: false,
  });

  it("measures each pause between prompts, ahead when the next part was written before the previous prompt ended", () => {
    // Prepare: part 1 written at 3.0 s, before prompt 0 ends (4.0 s); part 2 at 7.5 s, after prompt 1 ends (7.0 s).
    const prompts = [heard(1_000, 4_000, "a"), heard(4_100, 7_000, "b"), heard(8_200, 9_000, "c")];
    const written = [
      { at: 900, text: "a" },
      { at: 3_000, text: "b" },
      { at: 7_500, text: "c" },
    ];

    // Act
    const gaps = partGaps(prompts, [0, 1, 2], written);

    // Assess
    expect(gaps).toEqual([
      { gapMs: 100, ahead: true },
      { gapMs: 1_200, ahead: false },
    ]);
    expect(longestGapAhead(gaps)).toBe(100);
  });

  it("has no longest gap ahead without one", () => {
    expect(longestGapAhead([])).toBeUndefined();
    expect(longestGapAhead([{ gapMs: 5_000, ahead: false }])).toBeUndefined();
  });
});
