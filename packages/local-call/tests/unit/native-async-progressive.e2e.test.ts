import { FLOW_PARAMETERS } from "@holdline/connect-contract/flow-contract";
import { say } from "@holdline/connect-emulator/caller-script";
import type { CallResult } from "@holdline/connect-emulator/connect-emulator";
import type { LambdaFunction } from "@holdline/connect-emulator/lambda-function";
import { ACTION_IDS } from "@holdline/contact-flow/holdline/holdline-flows";
import { JA_JP } from "@holdline/contact-flow/holdline/prompt-packs";
import { joinParts } from "@holdline/domain/execution/answer-parts";
import { answer, type LlmStep, stream } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { describe, expect, it } from "vitest";
import { LOCAL_ARNS } from "../../src/local-holdline.ts";
import { CONTACT_ID, eventsOf, localHoldline, promptsOf, spoken } from "./harness.ts";

// Native-async with progressive answers, through the generated flow and the real handlers on virtual time:
// connect-answer registers the turn and dispatches answer-worker, then each asynchronous invocation returns the
// parts written since the flow's cursor while the worker goes on writing.

const TURN_1 = { contactId: CONTACT_ID, turn: 1 };
const QUESTION = "誕生日ケーキを予約できますか？";
const SECOND_QUESTION = "キャンセルはできますか？";
const GOODBYE = say("いいえ、以上です。");
const PARTS = [
  "はい、承っております。",
  "ホールケーキは二日前までにご予約ください。",
  "お名前とお受け取りの日時をお伺いします。",
  "店頭でもお電話でも承ります。",
];
/** A large model's pace: the first sentence at 0.8 s, the last at 11 s, the answer done at 12 s. */
const SLOW_STREAM = stream(
  [
    [800, PARTS[0] ?? ""],
    [3_500, PARTS[1] ?? ""],
    [7_000, PARTS[2] ?? ""],
    [11_000, PARTS[3] ?? ""],
  ],
  12_000,
);
/** The flow's blocks that speak the answer's parts (the rest speak the prompt pack). */
const PART_BLOCKS: readonly string[] = [ACTION_IDS.sayPart, ACTION_IDS.sayAnswer, ACTION_IDS.sayUnheard];

/** What the caller heard of answers, in order, and when (ms on the call's clock). */
const partsHeard = (result: CallResult) =>
  eventsOf(result, "prompt").filter((prompt) => PART_BLOCKS.includes(prompt.identifier));
const askedAt = (result: CallResult, question: string) =>
  eventsOf(result, "caller-input").find((event) => event.value === question)?.at ?? Number.NaN;

/** One question, then goodbye, on the native-async flow. */
async function nativeAsyncCall(script: LlmStep[], options: { hangUpAtMs?: number } = {}) {
  const harness = localHoldline(script);
  const { ended } = await harness.call("native-async", JA_JP, [say(QUESTION), GOODBYE], options.hangUpAtMs);
  return { ...harness, ended };
}

describe("native-async with progressive answers: a call through the flow and the real handlers", () => {
  it("speaks the first part seconds before the model finishes, then every part once and in order, after one model call", async () => {
    // Act
    const { ended, llm, store, holdline } = await nativeAsyncCall([SLOW_STREAM]);

    // Assess
    const heard = partsHeard(ended);
    const asked = askedAt(ended, QUESTION);
    const stored = await store.get(TURN_1);
    const modelDoneAt = (stored?.finishedAt ?? Number.NaN) - ended.startedAt;
    expect(
      joinParts(
        "ja-JP",
        heard.map((prompt) => prompt.text),
      ),
    ).toBe(PARTS.join(""));
    expect(heard.length).toBeGreaterThan(1);
    expect((heard[0]?.at ?? Number.NaN) - asked).toBeLessThan(3_000);
    expect(modelDoneAt - (heard[0]?.at ?? Number.NaN)).toBeGreaterThan(8_000);
    expect(llm.calls).toBe(1);
    expect(stored).toMatchObject({ status: "completed", answer: PARTS.join(""), parts: PARTS, attempt: 1 });
    // The model ran in answer-worker, dispatched once; connect-answer only registered and read the turn.
    expect(holdline.dispatcher.dispatched).toEqual([TURN_1]);
    expect(store.requests.createIfAbsent).toBe(1);
    expect(spoken(ended)).not.toContain(JA_JP.unavailable);
    expect(spoken(ended).at(-1)).toBe(JA_JP.goodbye);
    expect(ended.longestSilence?.durationMs).toBeLessThan(holdline.budget.choices.maxSilenceMs);
  });

  it("hears 'still working' in a stall between parts, and no Wait armed for it ends the call a minute later", async () => {
    // Prepare: a stall of about 5 s after the first part (the flow waits for the next one on its keep-running
    // Wait), then a part some 80 s long to say, still being spoken more than TimeLimitSeconds (62 s) later.
    const longPart = Array.from({ length: 20 }, () => PARTS[1] ?? "").join("");
    const { ended, llm, holdline } = await nativeAsyncCall([
      stream(
        [
          [800, PARTS[0] ?? ""],
          [8_000, longPart],
        ],
        8_500,
      ),
    ]);

    // Assess
    const heard = partsHeard(ended);
    const [stalled] = promptsOf(ended, JA_JP.stillWorking);
    expect(heard.map((prompt) => prompt.text)).toEqual([PARTS[0], longPart]);
    expect(stalled?.at).toBeGreaterThan(heard[0]?.endAt ?? Number.POSITIVE_INFINITY);
    expect((heard[1]?.endAt ?? 0) - (stalled?.at ?? Number.NaN)).toBeGreaterThan(
      (holdline.budget.connectAnswer.blockLimitSeconds + 2) * 1_000,
    );
    expect(heard.some((prompt) => prompt.interrupted)).toBe(false);
    expect(spoken(ended)).not.toContain(JA_JP.unavailable);
    expect(spoken(ended).at(-1)).toBe(JA_JP.goodbye);
    expect(ended.longestSilence?.durationMs).toBeLessThan(holdline.budget.choices.maxSilenceMs);
    expect(llm.calls).toBe(1);
  });

  it("speaks the two parts written before a model failure, then the short apology, not the full error prompt", async () => {
    // Act
    const { ended, llm, store } = await nativeAsyncCall([
      stream(
        [
          [800, PARTS[0] ?? ""],
          [3_500, PARTS[1] ?? ""],
        ],
        5_000,
        { fail: "model_error" },
      ),
    ]);

    // Assess
    const heard = partsHeard(ended);
    const [apology] = promptsOf(ended, JA_JP.errorAfterParts);
    expect(
      joinParts(
        "ja-JP",
        heard.map((prompt) => prompt.text),
      ),
    ).toBe(PARTS.slice(0, 2).join(""));
    expect(apology?.at).toBeGreaterThan(heard.at(-1)?.at ?? Number.POSITIVE_INFINITY);
    expect(spoken(ended)).not.toContain(JA_JP.error);
    expect(llm.calls).toBe(1);
    expect(await store.get(TURN_1)).toMatchObject({
      status: "failed",
      error: { code: "model_error" },
      parts: PARTS.slice(0, 2),
    });
  });

  it("repeats no part when Connect retries connect-answer with the same cursor (the response was lost)", async () => {
    // Prepare: the invocation asking past the first part runs, and its response is lost the first time.
    const { holdline, llm, store, clock, call } = localHoldline([SLOW_STREAM]);
    const functions = holdline.functions as Record<string, LambdaFunction>;
    const original = functions[LOCAL_ARNS.answer];
    if (original === undefined) throw new Error("connect-answer is not mapped");
    const cursorsSeen: string[] = [];
    let lost = 0;
    functions[LOCAL_ARNS.answer] = {
      ...original,
      handler: async (event, context) => {
        const cursor = String(event.Details?.Parameters?.[FLOW_PARAMETERS.cursor]);
        cursorsSeen.push(cursor);
        const response = await original.handler(event, context);
        if (cursor === "1" && lost === 0) {
          lost += 1;
          throw new Error("ServiceException: the response was lost (simulated fault)");
        }
        return response;
      },
    };

    // Act
    const { ended } = await call("native-async", JA_JP, [say(QUESTION), GOODBYE]);

    // Assess
    expect(lost).toBe(1);
    expect(cursorsSeen.filter((cursor) => cursor === "1")).toHaveLength(2);
    expect(
      joinParts(
        "ja-JP",
        partsHeard(ended).map((prompt) => prompt.text),
      ),
    ).toBe(PARTS.join(""));
    expect(llm.calls).toBe(1);
    expect(store.requests.createIfAbsent).toBe(1);
    expect(clock.now()).toBeGreaterThan(ended.startedAt);
  });

  it("goes on writing after the caller hangs up mid-answer, and stores the whole answer", async () => {
    // Act: the caller hangs up while the second part is spoken, some 8 s before the model finishes.
    const { ended, llm, store } = await nativeAsyncCall([SLOW_STREAM], { hangUpAtMs: 12_500 });

    // Assess
    expect(ended.endReason).toBe("hung-up");
    expect(partsHeard(ended).length).toBeGreaterThan(0);
    expect(
      joinParts(
        "ja-JP",
        partsHeard(ended).map((prompt) => prompt.text),
      ),
    ).not.toBe(PARTS.join(""));
    expect(await store.get(TURN_1)).toMatchObject({
      status: "completed",
      answer: PARTS.join(""),
      parts: PARTS,
    });
    expect(llm.calls).toBe(1);
  });

  it("gives the second turn's model the whole first answer as history", async () => {
    // Prepare
    const harness = localHoldline([SLOW_STREAM, answer("はい、前日まで承ります。", 1_000)]);

    // Act
    const { ended } = await harness.call("native-async", JA_JP, [
      say(QUESTION),
      say(SECOND_QUESTION),
      GOODBYE,
    ]);

    // Assess
    expect(harness.llm.requests[1]?.history).toEqual([{ question: QUESTION, answer: PARTS.join("") }]);
    expect(spoken(ended)).toContain("はい、前日まで承ります。");
    expect(harness.llm.calls).toBe(2);
  });
});
