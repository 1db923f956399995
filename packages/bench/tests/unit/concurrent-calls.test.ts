import type { CallResult } from "@holdline/connect-emulator/connect-emulator";
import type { TimelineEvent } from "@holdline/connect-emulator/timeline";
import { ACTION_IDS } from "@holdline/contact-flow/holdline/holdline-flows";
import { describe, expect, it } from "vitest";
import { heardOutcome, parseLevels } from "../../src/concurrent-calls.ts";

const call = (timeline: readonly TimelineEvent[]): CallResult => ({
  contactId: "c1",
  startedAt: 0,
  durationMs: 10_000,
  endReason: "disconnected",
  timeline,
  silences: [],
  longestSilence: undefined,
  attributes: {},
});

const prompt = (identifier: string, at: number): TimelineEvent => ({
  kind: "prompt",
  at,
  endAt: at + 500,
  identifier,
  text: identifier,
  interrupted: false,
});

const invocation = (at: number, outcome: Extract<TimelineEvent, { kind: "invocation" }>["outcome"]) =>
  ({
    kind: "invocation",
    at,
    endAt: at + 100,
    identifier: ACTION_IDS.invokeStatus,
    invocationId: `i${at}`,
    functionName: "holdline-local-connect-status",
    mode: "SYNCHRONOUS",
    outcome,
    attempts: [],
  }) satisfies TimelineEvent;

describe("heardOutcome", () => {
  it("reads the error code from the response that sent the flow to the error prompt", () => {
    // Prepare
    const timeline = [
      invocation(1_000, { status: "success", response: { status: "in_progress", errorCode: "" } }),
      invocation(3_000, { status: "success", response: { status: "error", errorCode: "store_unavailable" } }),
      prompt(ACTION_IDS.sayError, 3_200),
      prompt(ACTION_IDS.sayAnswer, 9_000),
    ];

    // Act
    const { heard, prompt: heardPrompt } = heardOutcome(call(timeline));

    // Assess: the first of answer / error / unavailable is what the caller heard for the question.
    expect(heard).toEqual({ kind: "error", code: "store_unavailable" });
    expect(heardPrompt?.at).toBe(3_200);
  });

  it("names a failed Lambda block as the cause of the unavailable prompt", () => {
    // Act
    const { heard } = heardOutcome(
      call([
        invocation(1_000, { status: "error", errorType: "timeout", message: "8 s" }),
        prompt(ACTION_IDS.sayUnavailable, 9_100),
      ]),
    );

    // Assess
    expect(heard).toEqual({ kind: "unavailable", cause: "Lambda timeout" });
  });

  it("hears the answer, or nothing when the call ended without any of the three prompts", () => {
    expect(heardOutcome(call([prompt(ACTION_IDS.sayAnswer, 2_000)])).heard).toEqual({ kind: "answer" });
    expect(heardOutcome(call([prompt(ACTION_IDS.sayHoldOn, 2_000)])).heard).toEqual({ kind: "nothing" });
  });
});

describe("parseLevels", () => {
  it("reads the sweep's levels in ascending order without repeats", () => {
    expect(parseLevels("500,50, 100,200,100")).toEqual([50, 100, 200, 500]);
    expect(parseLevels("500")).toEqual([500]);
  });

  it("refuses a level that is not a whole number of calls", () => {
    expect(() => parseLevels("50,abc")).toThrow(RangeError);
    expect(() => parseLevels("0")).toThrow(RangeError);
    expect(() => parseLevels("2.5")).toThrow(RangeError);
  });
});
