import { asLambdaFunction } from "@holdline/connect-emulator/lambda-function";
import { joinParts } from "@holdline/domain/execution/answer-parts";
import { stream } from "@holdline/domain/testing/fakes/scripted-llm-client";
import type { ConnectContactFlowEvent, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { LOCAL_ARNS } from "../../src/local-holdline.ts";
import { CONTACT_ID, localHoldline } from "./harness.ts";

const PARTS = [
  "はい、本日は営業しております。",
  "朝9時から夜7時までです。",
  "日曜日は10時からです。",
  "ご来店をお待ちしております。",
];
const QUESTION = "営業時間を教えてください。";
/** How long the caller takes to hear one response's answer, before the flow asks again. */
const SPEECH_MS = 1_500;

const context = { getRemainingTimeInMillis: () => 8_000, awsRequestId: "local" } as unknown as Context;

/** What a progressive flow's Invoke block sends: the question, the turn, the locale and the cursor. */
const flowEvent = (cursor: string) =>
  ({
    Name: "ContactFlowEvent",
    Details: {
      ContactData: { ContactId: CONTACT_ID, InitialContactId: CONTACT_ID, Attributes: {} },
      Parameters: { question: QUESTION, turn: "1", locale: "ja-JP", cursor },
    },
  }) as unknown as ConnectContactFlowEvent;

/**
 * The polling strategy's Lambdas as a progressive flow drives them, without the flow: connect-start with an
 * empty cursor, then connect-status with the cursor each response gives until `completed` or `error`. Connect
 * retries each status invocation once (the same event again). Returns what the caller heard and when.
 */
async function progressiveCall(harness: ReturnType<typeof localHoldline>) {
  const { clock, holdline } = harness;
  const invoke = (arn: string, cursor: string) =>
    asLambdaFunction(holdline.functions[arn] as never).handler(flowEvent(cursor), context);
  const startedAt = clock.now();
  const heard: { atMs: number; answer: string }[] = [];
  let response = await invoke(LOCAL_ARNS.start, "");
  for (let calls = 0; calls < 60; calls += 1) {
    if (response.answer !== "") {
      heard.push({ atMs: clock.now() - startedAt, answer: String(response.answer) });
      await clock.sleep(SPEECH_MS);
    }
    if (response.status === "completed" || response.status === "error") break;
    const cursor = String(response.cursor);
    const retried = await invoke(LOCAL_ARNS.status, cursor);
    // Connect's retry of the same invocation: the same cursor, the same parts (and any written since).
    const again = await invoke(LOCAL_ARNS.status, cursor);
    expect(String(again.answer).startsWith(String(retried.answer))).toBe(true);
    expect(Number(again.cursor)).toBeGreaterThanOrEqual(Number(retried.cursor));
    response = retried;
  }
  return { heard, last: response };
}

describe("progressive answers through the real polling handlers", () => {
  it("speaks every part once and in order, the first seconds before the model finishes", async () => {
    // Prepare: the model writes four sentences over 8 s.
    const harness = localHoldline([
      stream(
        [
          [800, PARTS[0] ?? ""],
          [2_500, PARTS[1] ?? ""],
          [4_500, PARTS[2] ?? ""],
          [7_000, PARTS[3] ?? ""],
        ],
        8_000,
      ),
    ]);

    // Act
    const { heard, last } = await harness.clock.run(progressiveCall(harness));
    await harness.clock.run(harness.holdline.idle());

    // Assess
    expect(
      joinParts(
        "ja-JP",
        heard.map((part) => part.answer),
      ),
    ).toBe(PARTS.join(""));
    // The first sentence is written at 0.8 s; the worker's dispatch and one poll interval later it is heard.
    expect(heard[0]?.atMs).toBeLessThan(2_000);
    expect(heard.length).toBeGreaterThan(1);
    expect(last).toMatchObject({ status: "completed", cursor: "4", errorPrompt: "" });
    expect(harness.llm.calls).toBe(1);
    expect(await harness.store.get({ contactId: CONTACT_ID, turn: 1 })).toMatchObject({
      status: "completed",
      answer: PARTS.join(""),
      parts: PARTS,
    });
  });

  it("speaks the parts produced before a model failure, then asks for the short apology", async () => {
    const harness = localHoldline([
      stream(
        [
          [800, PARTS[0] ?? ""],
          [2_500, PARTS[1] ?? ""],
        ],
        3_000,
        { fail: "model_error" },
      ),
    ]);

    const { heard, last } = await harness.clock.run(progressiveCall(harness));

    expect(
      joinParts(
        "ja-JP",
        heard.map((part) => part.answer),
      ),
    ).toBe(PARTS.slice(0, 2).join(""));
    expect(last).toMatchObject({
      status: "error",
      errorCode: "model_error",
      errorPrompt: "short",
      cursor: "2",
    });
  });
});
