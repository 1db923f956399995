import { EXTERNAL_STATUS } from "@holdline/connect-contract/flow-contract";
import { EN_US } from "@holdline/contact-flow/holdline/prompt-packs";
import type { ConnectContactFlowEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { type Invoke, type InvokeOutcome, runSmokeTurn, type SmokePlan } from "../src/smoke/smoke-turn.ts";

const contact = {
  contactId: "5f0c8f0e-6c1f-4d1c-9d57-2b1f4c6a0e11",
  turn: 1,
  question: "Open today?",
  locale: "en-US",
};
const POLLING: SmokePlan = { strategy: "polling", start: "start-fn", status: "status-fn" };
const NATIVE_ASYNC_PROGRESSIVE: SmokePlan = {
  strategy: "native-async",
  answer: "answer-fn",
  start: "start-fn",
};

/** A Connect response with every key, as the handlers return them. */
const response = (fields: Partial<Record<string, string>>): InvokeOutcome => ({
  kind: "returned",
  payload: {
    status: EXTERNAL_STATUS.inProgress,
    answer: "",
    errorCode: "",
    cursor: "0",
    // A part when there is an answer (the handlers count them), none otherwise.
    answerParts: fields.answer === undefined || fields.answer === "" ? "0" : "1",
    errorPrompt: "",
    turn: "1",
    nextTurn: "2",
    ...fields,
  },
});

/** Scripted outcomes, each taking `tookMs` on a fake clock; records the events sent. */
function scripted(outcomes: readonly (InvokeOutcome & { tookMs?: number })[]) {
  let clock = 0;
  const sent: { functionName: string; parameters: Record<string, string> }[] = [];
  const invoke: Invoke = async (functionName, event) => {
    const next = outcomes[sent.length] ?? outcomes.at(-1);
    sent.push({
      functionName,
      parameters: (event as { Details: { Parameters: Record<string, string> } }).Details.Parameters,
    });
    clock += next?.tookMs ?? 100;
    if (next === undefined) throw new Error("no outcome scripted");
    return next;
  };
  return { invoke, sent, now: () => clock };
}

describe("one smoke turn", () => {
  it("follows the cursor: start with the question and cursor 0, then status with each response's cursor", async () => {
    // Prepare
    const { invoke, sent, now } = scripted([
      response({ status: "in_progress", cursor: "0" }),
      response({ status: "partial", answer: "We open at nine.", cursor: "1" }),
      response({ status: "completed", answer: "We close at six.", cursor: "2" }),
    ]);

    // Act
    const result = await runSmokeTurn({ plan: POLLING, contact, invoke, timeoutMs: 60_000, now });

    // Assess
    expect(sent).toEqual([
      {
        functionName: "start-fn",
        parameters: { question: "Open today?", turn: "1", locale: "en-US", cursor: "0" },
      },
      { functionName: "status-fn", parameters: { turn: "1", cursor: "0" } },
      { functionName: "status-fn", parameters: { turn: "1", cursor: "1" } },
    ]);
    expect(result.heard).toEqual([
      { atMs: 100, kind: "filler", text: EN_US.acknowledgement },
      { atMs: 200, kind: "answer", text: "We open at nine." },
      { atMs: 300, kind: "answer", text: "We close at six." },
    ]);
    expect(result.invocations.map((invocation) => [invocation.atMs, invocation.durationMs])).toEqual([
      [0, 100],
      [100, 100],
      [200, 100],
    ]);
    expect(result.totalMs).toBe(300);
    expect(result.problems).toEqual([]);
  });

  it("native-async: connect-answer again with the question and the new cursor after a partial", async () => {
    const { invoke, sent, now } = scripted([
      response({ status: "partial", answer: "Yes.", cursor: "1" }),
      response({ status: "completed", answer: "Until six.", cursor: "2" }),
    ]);

    const result = await runSmokeTurn({
      plan: { strategy: "native-async", answer: "answer-fn" },
      contact,
      invoke,
      timeoutMs: 60_000,
      now,
    });

    expect(sent.map((call) => [call.functionName, call.parameters.question, call.parameters.cursor])).toEqual(
      [
        ["answer-fn", "Open today?", "0"],
        ["answer-fn", "Open today?", "1"],
      ],
    );
    expect(result.problems).toEqual([]);
  });

  it("hears a progressive answer as the flow does: by answerParts, and an empty message is a problem", async () => {
    // Prepare: a completed response with nothing new (answerParts "0"), then one that counts a part it lacks
    const nothingNew = scripted([
      response({ status: "partial", answer: "Yes.", cursor: "1" }),
      response({ status: "completed", answer: "", cursor: "1" }),
    ]);
    const emptyPart = scripted([
      response({ status: "completed", answer: "", answerParts: "1", cursor: "1" }),
    ]);
    const plan = { strategy: "native-async", answer: "answer-fn" } as const;

    // Act
    const clean = await runSmokeTurn({ plan, contact, ...nothingNew, timeoutMs: 60_000 });
    const broken = await runSmokeTurn({ plan, contact, ...emptyPart, timeoutMs: 60_000 });

    // Assess
    expect(clean.heard.map((line) => line.text)).toEqual(["Yes."]);
    expect(clean.problems).toEqual([]);
    expect(broken.problems).toContainEqual(expect.stringMatching(/empty message/));
  });

  it("native-async with progressive answers: connect-start with the question and cursor 0 first, then connect-answer", async () => {
    // connect-start (register role) answers at once; the flow neither speaks nor reads its response.
    const { invoke, sent, now } = scripted([
      response({ status: "in_progress", cursor: "0" }),
      response({ status: "partial", answer: "Yes.", cursor: "1" }),
      response({ status: "completed", answer: "Until six.", cursor: "2" }),
    ]);

    const result = await runSmokeTurn({
      plan: NATIVE_ASYNC_PROGRESSIVE,
      contact,
      invoke,
      timeoutMs: 60_000,
      now,
    });

    expect(sent).toEqual([
      {
        functionName: "start-fn",
        parameters: { question: "Open today?", turn: "1", locale: "en-US", cursor: "0" },
      },
      {
        functionName: "answer-fn",
        parameters: { question: "Open today?", turn: "1", locale: "en-US", cursor: "0" },
      },
      {
        functionName: "answer-fn",
        parameters: { question: "Open today?", turn: "1", locale: "en-US", cursor: "1" },
      },
    ]);
    expect(result.invocations.map((invocation) => [invocation.fn, invocation.atMs])).toEqual([
      ["connect-start", 0],
      ["connect-answer", 100],
      ["connect-answer", 200],
    ]);
    // Nothing heard for connect-start's in_progress: the native-async flow plays no acknowledgement for it.
    expect(result.heard).toEqual([
      { atMs: 200, kind: "answer", text: "Yes." },
      { atMs: 300, kind: "answer", text: "Until six." },
    ]);
    expect(result.final).toEqual({ status: "completed", errorCode: "", errorPrompt: "" });
    expect(result.problems).toEqual([]);
  });

  it("native-async with progressive answers: a failed connect-start is a problem, and connect-answer still takes the turn, as in the flow", async () => {
    const { invoke, sent, now } = scripted([
      { kind: "function_error", errorType: "Runtime.ImportModuleError", errorMessage: "no index" },
      response({ status: "completed", answer: "We open at nine.", cursor: "1" }),
    ]);

    const result = await runSmokeTurn({
      plan: NATIVE_ASYNC_PROGRESSIVE,
      contact,
      invoke,
      timeoutMs: 60_000,
      now,
    });

    expect(sent.map((call) => call.functionName)).toEqual(["start-fn", "answer-fn"]);
    expect(result.invocations[0]).toMatchObject({ fn: "connect-start", failure: expect.any(String) });
    expect(result.heard.map((line) => line.text)).toEqual(["We open at nine."]);
    expect(result.final?.status).toBe("completed");
    expect(result.problems).toEqual([
      "connect-start (start-fn) failed: the function failed: Runtime.ImportModuleError: no index",
    ]);
  });

  it("native-async with progressive answers: connect-start's block is synchronous, so over 8 s is a problem", async () => {
    const { invoke, now } = scripted([
      { ...response({ status: "in_progress" }), tookMs: 8_500 },
      { ...response({ status: "completed", answer: "Yes.", cursor: "1" }), tookMs: 9_000 },
    ]);

    const result = await runSmokeTurn({
      plan: NATIVE_ASYNC_PROGRESSIVE,
      contact,
      invoke,
      timeoutMs: 60_000,
      now,
    });

    // connect-answer's 9 s are within its asynchronous block's 60 s.
    expect(result.problems).toEqual([
      "connect-start took 8.50 s, over Connect's 8.00 s limit for this block: Connect would have taken its error branch",
    ]);
  });

  it("a flow without progressive answers: no cursor in the parameters or the attributes", async () => {
    const events: unknown[] = [];
    const { invoke, sent, now } = scripted([
      response({ status: "in_progress", cursor: "" }),
      response({ status: "completed", answer: "We open at nine.", cursor: "" }),
    ]);

    const result = await runSmokeTurn({
      plan: POLLING,
      contact,
      progressive: false,
      invoke: (name, event) => {
        events.push(event);
        return invoke(name, event);
      },
      timeoutMs: 60_000,
      now,
    });

    expect(sent.map((call) => call.parameters)).toEqual([
      { question: "Open today?", turn: "1", locale: "en-US" },
      { turn: "1" },
    ]);
    expect(events.map((event) => (event as ConnectContactFlowEvent).Details.ContactData.Attributes)).toEqual([
      { holdlineTurn: "1" },
      { holdlineTurn: "1" },
    ]);
    expect(result.invocations.map((invocation) => invocation.cursorSent)).toEqual([undefined, undefined]);
    expect(result.heard.map((line) => line.text)).toEqual([EN_US.holdOn, "We open at nine."]);
    expect(result.problems).toEqual([]);
  });

  it("an error after parts: the short apology, and a problem naming the code", async () => {
    const { invoke, now } = scripted([
      response({ status: "partial", answer: "Yes.", cursor: "1" }),
      response({ status: "error", errorCode: "model_error", errorPrompt: "short", cursor: "1" }),
    ]);

    const result = await runSmokeTurn({ plan: POLLING, contact, invoke, timeoutMs: 60_000, now });

    expect(result.heard.map((line) => line.text)).toEqual(["Yes.", EN_US.errorAfterParts]);
    expect(result.problems).toEqual([
      "the caller would hear the short apology after part of the answer (errorCode model_error)",
    ]);
  });

  it.each<[string, InvokeOutcome, RegExp]>([
    [
      "a function error",
      { kind: "function_error", errorType: "Unhandled Runtime.ImportModuleError", errorMessage: "no index" },
      /the function failed: Unhandled Runtime\.ImportModuleError: no index/,
    ],
    ["a failed invocation", { kind: "failed", error: "AccessDeniedException: no" }, /invocation failed/],
    ["not an object", { kind: "returned", payload: null }, /returned null, not a Connect response/],
    [
      "a nested value",
      { kind: "returned", payload: { status: "completed", answer: { text: "x" } } },
      /"answer" is not a string/,
    ],
    [
      "a missing key",
      { kind: "returned", payload: { status: "completed", answer: "x" } },
      /lacks errorCode, cursor, answerParts, errorPrompt, turn, nextTurn/,
    ],
    ["an unknown status", response({ status: "done" }), /status "done" is not one the flow branches on/],
  ])("%s is a failed invocation", async (_, outcome, message) => {
    const { invoke, now } = scripted([outcome]);

    const result = await runSmokeTurn({ plan: POLLING, contact, invoke, timeoutMs: 60_000, now });

    expect(result.invocations).toHaveLength(1);
    expect(result.final).toBeUndefined();
    expect(result.problems).toEqual([expect.stringMatching(message)]);
    expect(result.problems[0]).toMatch(/^connect-start \(start-fn\) failed: /);
  });

  it("an invocation over Connect's 8 s limit for a synchronous block is a problem, even when it answers", async () => {
    const { invoke, now } = scripted([
      { ...response({ status: "completed", answer: "Yes." }), tookMs: 8_500 },
    ]);

    const result = await runSmokeTurn({ plan: POLLING, contact, invoke, timeoutMs: 60_000, now });

    expect(result.problems).toEqual([
      "connect-start took 8.50 s, over Connect's 8.00 s limit for this block: Connect would have taken its error branch",
    ]);
  });

  it("a turn that never ends stops at the timeout, and a completed turn with nothing to say fails", async () => {
    const endless = scripted([{ ...response({ status: "in_progress" }), tookMs: 2_600 }]);
    const silent = scripted([response({ status: "completed", answer: "" })]);

    const stuck = await runSmokeTurn({ plan: POLLING, contact, ...endless, timeoutMs: 10_000 });
    const empty = await runSmokeTurn({ plan: POLLING, contact, ...silent, timeoutMs: 10_000 });

    expect(stuck.invocations).toHaveLength(4);
    expect(stuck.problems).toEqual(["the turn did not end within 10.00 s"]);
    expect(empty.problems).toEqual([
      "the turn completed, but the caller heard no answer (every answer was empty)",
    ]);
  });
});
