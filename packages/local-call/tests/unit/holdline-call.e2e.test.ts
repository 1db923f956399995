import { parseInvocationRecord } from "@holdline/app-failure-recorder/invocation-record";
import { say } from "@holdline/connect-emulator/caller-script";
import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { EN_US, JA_JP, type PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import { answer, failure, hang } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { describe, expect, it } from "vitest";
import { CONTACT_ID, eventsOf, invocationsOf, localHoldline, notesOf, promptsOf, spoken } from "./harness.ts";

const TURN_1 = { contactId: CONTACT_ID, turn: 1 };
const TURN_2 = { contactId: CONTACT_ID, turn: 2 };
const QUESTION = "When are you closed?";
const ANSWER = "We are closed every Tuesday.";
const SLOW_QUESTION = "Can I order a birthday cake?";
const SLOW_ANSWER = "You can order whole cakes up to two days before pickup.";
const GOODBYE = say("No, that's all.");

/** When the first note of `source` containing `text` was made. */
const noteAt = (result: Parameters<typeof eventsOf>[0], source: string, text: string): number =>
  eventsOf(result, "note").find((note) => note.source === source && note.text.includes(text))?.at ??
  Number.NaN;

/**
 * How soon after a crash a reader has noticed that the attempt's lease is over: the lease (renewed until the
 * crash), plus one status poll and a handler's round trip.
 */
const LEASE_NOTICED_MS = (holdline: { budget: { policy: { leaseMs: number; pollIntervalMs: number } } }) =>
  holdline.budget.policy.leaseMs + holdline.budget.policy.pollIntervalMs + 1_000;

/** When the caller finished asking the first question (the flow takes it from there). */
const askedAt = (result: Parameters<typeof eventsOf>[0]) =>
  eventsOf(result, "caller-input").find((event) => event.value === QUESTION)?.at ?? Number.NaN;

const STRATEGIES: readonly Strategy[] = ["polling", "native-async"];

/**
 * What the caller hears first once the answer is not instant: with progressive answers (the default), the
 * polling flow acknowledges the question and long-polls for the first part at once, then fills with "still
 * working"; native-async plays the hold-on prompt on its keep-running Wait.
 */
const firstFiller = (strategy: Strategy, prompts: PromptPack) =>
  strategy === "polling" ? prompts.acknowledgement : prompts.holdOn;

describe.each(STRATEGIES)("a local call through the real handlers (%s)", (strategy) => {
  it("speaks a fast answer with no filler prompt, after one model call", async () => {
    // Prepare
    const { call, llm, store } = localHoldline([answer(ANSWER, 1_000)]);

    // Act
    const { ended } = await call(strategy, EN_US, [say(QUESTION), GOODBYE]);

    // Assess
    expect(spoken(ended)).toEqual([
      EN_US.greeting,
      EN_US.askQuestion,
      ANSWER,
      EN_US.anythingElse,
      EN_US.goodbye,
    ]);
    expect(llm.calls).toBe(1);
    expect(await store.get(TURN_1)).toMatchObject({ status: "completed", answer: ANSWER, attempt: 1 });
    expect(invocationsOf(ended, "connect-status")).toHaveLength(0);
  });

  it("keeps the caller informed during a 20-second answer, never silent for the budget's gap", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([answer(SLOW_ANSWER, 20_000)]);

    // Act
    const { ended } = await call(strategy, EN_US, [say(SLOW_QUESTION), GOODBYE]);

    // Assess
    const said = spoken(ended);
    expect(said).toContain(firstFiller(strategy, EN_US));
    expect(promptsOf(ended, EN_US.stillWorking).length).toBeGreaterThanOrEqual(3);
    expect(said).toContain(SLOW_ANSWER);
    expect(ended.longestSilence?.durationMs).toBeLessThan(holdline.budget.choices.maxSilenceMs);
    expect(llm.calls).toBe(1);
    expect(await store.get(TURN_1)).toMatchObject({ status: "completed", answer: SLOW_ANSWER });
  });

  it("plays the error prompt at the deadline when the model is slower than it (deadline_exceeded)", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([hang()]);
    // native-async with progressive answers (the default): the turn connect-answer hands to answer-worker.
    const deadlineMs =
      strategy === "polling"
        ? holdline.budget.policy.deadlineMs
        : holdline.budget.connectAnswer.progressive.deadlineMs;

    // Act
    const { ended } = await call(strategy, EN_US, [say(QUESTION), GOODBYE]);

    // Assess
    const errorPrompt = promptsOf(ended, EN_US.error)[0];
    expect(errorPrompt).toBeDefined();
    const heardAfterMs = (errorPrompt?.at ?? 0) - askedAt(ended);
    expect(heardAfterMs).toBeGreaterThanOrEqual(deadlineMs);
    expect(heardAfterMs).toBeLessThan(deadlineMs + holdline.budget.choices.maxSilenceMs + 5_000);
    expect(await store.get(TURN_1)).toMatchObject({ status: "failed", error: { code: "deadline_exceeded" } });
    expect(ended.longestSilence?.durationMs).toBeLessThan(holdline.budget.choices.maxSilenceMs);
    expect(spoken(ended)).not.toContain(EN_US.unavailable);
    expect(llm.calls).toBe(1);
  });

  it("plays the error prompt within seconds when the model fails, not at the deadline", async () => {
    // Prepare
    const { call, llm, store } = localHoldline([failure("model_error", 1_500)]);

    // Act
    const { ended } = await call(strategy, EN_US, [say(QUESTION), GOODBYE]);

    // Assess
    const errorPrompt = promptsOf(ended, EN_US.error)[0];
    expect((errorPrompt?.at ?? Number.POSITIVE_INFINITY) - askedAt(ended)).toBeLessThan(10_000);
    expect(await store.get(TURN_1)).toMatchObject({ status: "failed", error: { code: "model_error" } });
    expect(llm.calls).toBe(1);
    expect(spoken(ended).at(-1)).toBe(EN_US.goodbye);
  });

  it("answers a second question with the first one's question and answer in the model's history", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([
      answer(ANSWER, 1_000),
      answer(SLOW_ANSWER, 12_000),
    ]);

    // Act
    const { ended } = await call(strategy, EN_US, [say(QUESTION), say(SLOW_QUESTION), GOODBYE]);

    // Assess
    expect(spoken(ended).filter((text) => text === ANSWER || text === SLOW_ANSWER)).toEqual([
      ANSWER,
      SLOW_ANSWER,
    ]);
    expect(llm.requests.map((request) => request.question)).toEqual([QUESTION, SLOW_QUESTION]);
    expect(llm.requests[0]?.history).toEqual([]);
    expect(llm.requests[1]?.history).toEqual([{ question: QUESTION, answer: ANSWER }]);
    expect(await store.get(TURN_2)).toMatchObject({ status: "completed", answer: SLOW_ANSWER });
    expect(ended.attributes.holdlineTurn).toBe("3");
    expect(
      holdline.notes.of(CONTACT_ID, "store").filter((line) => line.includes("→ completed")),
    ).toHaveLength(2);
  });

  it("finishes and stores the answer after the caller hangs up mid-wait", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([answer(SLOW_ANSWER, 20_000)]);

    // Act
    const { ended } = await call(strategy, EN_US, [say(SLOW_QUESTION)], 20_000);

    // Assess
    expect(ended.endReason).toBe("hung-up");
    expect(spoken(ended)).not.toContain(SLOW_ANSWER);
    const stored = await store.get(TURN_1);
    expect(stored).toMatchObject({ status: "completed", answer: SLOW_ANSWER });
    expect((stored?.finishedAt ?? 0) - ended.startedAt).toBeGreaterThan(20_000);
    expect(llm.calls).toBe(1);
    const completedNote = holdline.notes.log.find((note) => note.text.includes("running → completed"));
    expect((completedNote?.at ?? 0) - ended.startedAt).toBeGreaterThan(ended.durationMs);
  });

  it("records each status transition on the call's timeline", async () => {
    // Prepare
    const { call } = localHoldline([answer(SLOW_ANSWER, 9_000)]);

    // Act
    const { ended } = await call(strategy, JA_JP, [
      say("誕生日ケーキを予約できますか？"),
      say("いいえ、以上です。"),
    ]);

    // Assess: native-async with progressive answers, too, has connect-start register the turn (before
    // connect-answer, which then only reads it) and answer-worker write the answer.
    const writer = "answer-worker";
    expect(notesOf(ended, "store")).toEqual([
      "turn 1: queued (created by connect-start)",
      `turn 1: queued → running (attempt 1) by ${writer}`,
      expect.stringMatching(
        new RegExp(
          `^turn 1: running → completed \\(answer ready 9\\.\\ds after the question\\) by ${writer}$`,
        ),
      ),
    ]);
    expect(spoken(ended)).toContain(firstFiller(strategy, JA_JP));
  });
});

describe("polling: the worker behind Lambda's asynchronous invocation", () => {
  it("turns a worker crash into a second attempt within about 5 s, which answers: one model call per attempt", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([answer(SLOW_ANSWER, 20_000)]);
    holdline.faults.crashDuringNextModelCall({ afterMs: 2_000 });

    // Act
    const { ended } = await call("polling", EN_US, [say(SLOW_QUESTION), GOODBYE]);

    // Assess
    expect(holdline.dispatcher.invocations.map((invocation) => invocation.result)).toEqual([
      "crashed",
      "returned",
    ]);
    const [record] = holdline.failureQueue.sent;
    expect(record?.requestContext).toMatchObject({
      condition: "RetriesExhausted",
      approximateInvokeCount: 1,
    });
    expect(record?.responsePayload.errorType).toBe("Runtime.ExitError");
    expect(parseInvocationRecord(JSON.stringify(record)).key).toEqual(TURN_1);
    expect(await store.get(TURN_1)).toMatchObject({ status: "completed", answer: SLOW_ANSWER, attempt: 2 });
    const crashedAt = noteAt(ended, "answer-worker", "CRASHED");
    const redispatchedAt = noteAt(ended, "store", "lease is over, dispatched again");
    expect(redispatchedAt - crashedAt).toBeLessThanOrEqual(LEASE_NOTICED_MS(holdline));
    expect(spoken(ended)).toContain(SLOW_ANSWER);
    expect(llm.calls).toBe(2);
    expect(holdline.failureQueue.deadLetters).toEqual([]);
  });

  it("turns a crash of the last attempt into an error prompt within seconds, through the failure destination and failure-recorder", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([answer(SLOW_ANSWER, 20_000)]);
    holdline.faults.crashDuringNextModelCall({ afterMs: 2_000, count: 2 });

    // Act
    const { ended } = await call("polling", EN_US, [say(QUESTION), GOODBYE]);

    // Assess
    expect(holdline.dispatcher.invocations.map((invocation) => invocation.result)).toEqual([
      "crashed",
      "crashed",
    ]);
    expect(await store.get(TURN_1)).toMatchObject({ status: "failed", error: { code: "worker_failed" } });
    // The record names the invocation holding the last attempt: failure-recorder need not wait for the lease.
    expect(notesOf(ended, "store")).toContain("turn 1: running → failed (worker_failed) by failure-recorder");
    const lastCrashAt = eventsOf(ended, "note")
      .filter((note) => note.source === "answer-worker" && note.text.includes("CRASHED"))
      .at(-1)?.at;
    const errorPrompt = promptsOf(ended, EN_US.error)[0];
    expect((errorPrompt?.at ?? Number.POSITIVE_INFINITY) - (lastCrashAt ?? 0)).toBeLessThan(
      LEASE_NOTICED_MS(holdline) + holdline.budget.choices.maxSilenceMs,
    );
    expect(llm.calls).toBe(2);
    expect(holdline.failureQueue.deadLetters).toEqual([]);
  });

  it("recovers a lost dispatch through the status path: dispatched again, one model call", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([answer(ANSWER, 1_000)]);
    holdline.faults.loseNextDispatch();

    // Act
    const { ended } = await call("polling", EN_US, [say(QUESTION), GOODBYE]);

    // Assess
    expect(holdline.dispatcher.invocations.map((invocation) => invocation.result)).toEqual([
      "lost",
      "returned",
    ]);
    expect(notesOf(ended, "store")).toContain(
      "turn 1: queued → queued (dispatch presumed lost, dispatched again) by connect-status",
    );
    expect(spoken(ended)).toContain(ANSWER);
    expect(await store.get(TURN_1)).toMatchObject({ status: "completed", answer: ANSWER });
    expect(llm.calls).toBe(1);
    expect(ended.longestSilence?.durationMs).toBeLessThan(holdline.budget.choices.maxSilenceMs);
  });

  it("recovers a failed Invoke the same way", async () => {
    const { call, llm, holdline } = localHoldline([answer(ANSWER, 1_000)]);
    holdline.faults.failNextDispatch();

    const { ended } = await call("polling", EN_US, [say(QUESTION), GOODBYE]);

    expect(notesOf(ended, "lambda")[0]).toMatch(/Invoke \(Event\) of answer-worker failed/);
    expect(notesOf(ended, "store")).toContain(
      "turn 1: queued → queued (dispatch presumed lost, dispatched again) by connect-status",
    );
    expect(holdline.dispatcher.dispatched).toHaveLength(1);
    expect(spoken(ended)).toContain(ANSWER);
    expect(llm.calls).toBe(1);
  });

  it("makes one execution and one model call when Connect retries a throttled connect-start three times", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([answer(ANSWER, 1_000)]);
    holdline.faults.throttle("start", 3);

    // Act
    const { ended } = await call("polling", EN_US, [say(QUESTION), GOODBYE]);

    // Assess
    const [start] = invocationsOf(ended, "connect-start");
    expect(start?.attempts.map((attempt) => attempt.result)).toEqual([
      "throttled",
      "throttled",
      "throttled",
      "returned",
    ]);
    expect(store.requests.createIfAbsent).toBe(1);
    expect(holdline.dispatcher.dispatched).toEqual([TURN_1]);
    expect(llm.calls).toBe(1);
    expect(spoken(ended)).toContain(ANSWER);
  });

  it("makes one execution and one model call when connect-start runs three times and each response is lost", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([answer(ANSWER, 1_000)]);
    holdline.faults.failAfterRunning("start", 3);

    // Act
    const { ended } = await call("polling", EN_US, [say(QUESTION), GOODBYE]);

    // Assess
    const [start] = invocationsOf(ended, "connect-start");
    expect(start?.attempts.map((attempt) => attempt.result)).toEqual(["threw", "threw", "threw", "returned"]);
    expect(store.requests.createIfAbsent).toBe(4);
    expect(notesOf(ended, "store").filter((line) => line.includes("queued (created"))).toHaveLength(1);
    expect(holdline.dispatcher.dispatched).toEqual([TURN_1]);
    expect(llm.calls).toBe(1);
    expect(spoken(ended).filter((text) => text === ANSWER)).toHaveLength(1);
  });
});

/** Flows that send no cursor, and functions that write no parts: connect-answer runs each turn in place. */
const IN_PLACE = { environment: { HOLDLINE_PROGRESSIVE_ANSWERS: "false" } };

describe("native-async without progressive answers: connect-answer runs the model in Connect's asynchronous invocation", () => {
  it("cuts the hold-on prompt short when the answer arrives while it plays", async () => {
    // Prepare: past the plain fast-answer wait, into the hold-on prompt.
    const { call, llm, holdline } = localHoldline([answer(ANSWER, 3_000)], IN_PLACE);

    // Act
    const { ended } = await call("native-async", EN_US, [say(QUESTION), GOODBYE]);

    // Assess
    const [holdOn] = promptsOf(ended, EN_US.holdOn);
    const [spokenAnswer] = promptsOf(ended, ANSWER);
    expect(holdOn?.interrupted).toBe(true);
    expect((spokenAnswer?.at ?? Number.NaN) - (holdOn?.endAt ?? Number.NaN)).toBeLessThan(300);
    expect(llm.calls).toBe(1);
    expect(holdline.dispatcher.invocations).toEqual([]);
  });

  it("speaks the whole of a long answer that is still being spoken when a Wait's time limit passes", async () => {
    // Prepare: written in 25 s and about 45 s long to say, so it is still being spoken more than
    // TimeLimitSeconds (62 s) after the flow first waited for the invocation: no Wait may still be armed then.
    const longAnswer = Array.from({ length: 16 }, () => SLOW_ANSWER).join(" ");
    const { call, llm, holdline } = localHoldline([answer(longAnswer, 25_000)], IN_PLACE);

    // Act
    const { ended } = await call("native-async", EN_US, [say(SLOW_QUESTION), GOODBYE]);

    // Assess
    const [spokenAnswer] = promptsOf(ended, longAnswer);
    expect(spokenAnswer?.interrupted).toBe(false);
    const waitedFrom = eventsOf(ended, "caller-input").find((event) => event.value === SLOW_QUESTION)?.at;
    expect(spokenAnswer?.endAt ?? 0).toBeGreaterThan(
      (holdline.budget.connectAnswer.blockLimitSeconds + 2) * 1_000 + (waitedFrom ?? Number.NaN),
    );
    expect(spoken(ended).slice(-2)).toEqual([EN_US.anythingElse, EN_US.goodbye]);
    expect(spoken(ended)).not.toContain(EN_US.unavailable);
    expect(ended.longestSilence?.durationMs).toBeLessThan(holdline.budget.choices.maxSilenceMs);
    expect(llm.calls).toBe(1);
  });

  it("makes one model call when Connect retries a throttled connect-answer three times", async () => {
    const { call, llm, store, holdline } = localHoldline([answer(ANSWER, 1_000)], IN_PLACE);
    holdline.faults.throttle("answer", 3);

    const { ended } = await call("native-async", EN_US, [say(QUESTION), GOODBYE]);

    const [invocation] = eventsOf(ended, "invocation");
    expect(invocation?.mode).toBe("ASYNCHRONOUS");
    expect(store.requests.createIfAbsent).toBe(1);
    expect(llm.calls).toBe(1);
    expect(spoken(ended)).toContain(ANSWER);
  });

  it("makes no second model call when the answer's response is lost and Connect retries", async () => {
    const { call, llm, store, holdline } = localHoldline([answer(ANSWER, 1_000)], IN_PLACE);
    holdline.faults.failAfterRunning("answer", 1);

    const { ended } = await call("native-async", EN_US, [say(QUESTION), GOODBYE]);

    expect(store.requests.createIfAbsent).toBe(2);
    expect(llm.calls).toBe(1);
    expect(spoken(ended)).toContain(ANSWER);
  });

  it("runs a second attempt in Connect's retry within about 5 s of a crashed one, and speaks its answer", async () => {
    // Prepare
    const { call, llm, store, holdline } = localHoldline([answer(SLOW_ANSWER, 20_000)], IN_PLACE);
    holdline.faults.crashDuringNextModelCall({ afterMs: 2_000 });

    // Act
    const { ended } = await call("native-async", EN_US, [say(SLOW_QUESTION), GOODBYE]);

    // Assess
    const [attemptsReport] = eventsOf(ended, "async-result");
    expect(attemptsReport?.outcome).toMatchObject({ status: "success" });
    expect(llm.calls).toBe(2);
    expect(await store.get(TURN_1)).toMatchObject({ status: "completed", answer: SLOW_ANSWER, attempt: 2 });
    const crashedAt = noteAt(ended, "connect-answer", "CRASHED");
    const redispatchedAt = noteAt(ended, "store", "lease is over, dispatched again");
    expect(redispatchedAt - crashedAt).toBeLessThanOrEqual(LEASE_NOTICED_MS(holdline));
    expect(spoken(ended)).toContain(SLOW_ANSWER);
    expect(ended.longestSilence?.durationMs).toBeLessThan(holdline.budget.choices.maxSilenceMs);
  });
});

describe("native-async with progressive answers: answer-worker writes the answer, connect-answer reads it", () => {
  it("makes one execution and one model call when Connect retries a throttled connect-answer three times", async () => {
    const { call, llm, store, holdline } = localHoldline([answer(ANSWER, 1_000)]);
    holdline.faults.throttle("answer", 3);

    const { ended } = await call("native-async", EN_US, [say(QUESTION), GOODBYE]);

    expect(store.requests.createIfAbsent).toBe(1);
    expect(holdline.dispatcher.dispatched).toEqual([TURN_1]);
    expect(llm.calls).toBe(1);
    expect(spoken(ended).filter((text) => text === ANSWER)).toHaveLength(1);
  });

  it("dispatches a second attempt from connect-answer's wait within about 5 s of a crashed worker, and speaks its answer", async () => {
    // Prepare: the worker dies before the model wrote any part.
    const { call, llm, store, holdline } = localHoldline([answer(SLOW_ANSWER, 20_000)]);
    holdline.faults.crashDuringNextModelCall({ afterMs: 2_000 });

    // Act
    const { ended } = await call("native-async", EN_US, [say(SLOW_QUESTION), GOODBYE]);

    // Assess
    expect(llm.calls).toBe(2);
    expect(await store.get(TURN_1)).toMatchObject({ status: "completed", answer: SLOW_ANSWER, attempt: 2 });
    expect(holdline.dispatcher.invocations.map((invocation) => invocation.result)).toEqual([
      "crashed",
      "returned",
    ]);
    const crashedAt = noteAt(ended, "answer-worker", "CRASHED");
    const redispatchedAt = noteAt(ended, "store", "lease is over, dispatched again");
    expect(redispatchedAt - crashedAt).toBeLessThanOrEqual(LEASE_NOTICED_MS(holdline));
    expect(notesOf(ended, "store").find((line) => line.includes("lease is over"))).toMatch(/connect-answer/);
    expect(spoken(ended)).toContain(SLOW_ANSWER);
    expect(ended.longestSilence?.durationMs).toBeLessThan(holdline.budget.choices.maxSilenceMs);
  });
});
