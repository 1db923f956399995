import { type CallerTurn, press, say, silence } from "@holdline/connect-emulator/caller-script";
import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { EN_US, textOfferPrompt } from "@holdline/contact-flow/holdline/prompt-packs";
import { StoreUnavailableError, TextSendError } from "@holdline/domain/errors";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { RecordingTextSender } from "@holdline/domain/testing/fakes/recording-text-sender";
import {
  answer,
  failure,
  type LlmStep,
  ScriptedLlmClient,
} from "@holdline/domain/testing/fakes/scripted-llm-client";
import { describe, expect, it } from "vitest";
import { LOCAL_TABLE_NAME, wireLocalHoldline } from "../../src/local-holdline.ts";
import { streamOfMemoryStore } from "../../src/local-text-delivery.ts";
import { CONTACT_ID, promptsOf, spoken } from "./harness.ts";

const TURN_1 = { contactId: CONTACT_ID, turn: 1 };
const CALLER = "+15555550147";
const QUESTION = "Can I order a birthday cake?";
const ANSWER = "You can order whole cakes up to two days before pickup. Call the shop or come by.";
const GOODBYE = say("No, that's all.");
/** A model this slow keeps the caller waiting past the offer (`afterSeconds`). */
const SLOW_MS = 40_000;
const MAX_TEXT_ATTEMPTS = 3;

/** The real handlers on virtual time, with the text delivery wired: its stream from the in-memory store. */
function textsHoldline(script: readonly LlmStep[]) {
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 9));
  const store = new InMemoryExecutionStore(clock);
  const stream = streamOfMemoryStore(store, clock, LOCAL_TABLE_NAME);
  const sender = new RecordingTextSender();
  const holdline = wireLocalHoldline({
    clock,
    store,
    model: new ScriptedLlmClient(clock, script),
    texts: { stream, sender },
    environment: { HOLDLINE_TEXT_MAX_ATTEMPTS: String(MAX_TEXT_ATTEMPTS) },
  });
  const call = async (strategy: Strategy, turns: readonly CallerTurn[], hangUpAtMs?: number) => {
    const running = holdline.call(
      strategy,
      EN_US,
      { turns, ...(hangUpAtMs === undefined ? {} : { hangUpAtMs }) },
      { contactId: CONTACT_ID, customerNumber: CALLER },
    );
    const ended = await clock.run(running.ended);
    await clock.run(running.settled);
    await clock.run(holdline.idle());
    return ended;
  };
  return { clock, store, stream, sender, holdline, call };
}

describe.each(["polling", "native-async"] as const)("the answer by text message (%s)", (strategy) => {
  it("texts the answer once, after it is written, to a caller who pressed the key and left", async () => {
    const { call, sender, store } = textsHoldline([answer(ANSWER, SLOW_MS)]);

    const ended = await call(strategy, [say(QUESTION), press("1")]);

    expect(promptsOf(ended, EN_US.textAccepted)).toHaveLength(1);
    expect(spoken(ended)).not.toContain(ANSWER);
    expect(sender.sent).toEqual([{ to: CALLER, body: expect.stringContaining(ANSWER) }]);
    const view = await store.readDelivery(TURN_1);
    expect(view?.execution.status).toBe("completed");
    expect(view?.delivery).toMatchObject({ state: "sent", kind: "answer", attempts: 1 });
    expect(view?.delivery?.sentAt).toBeGreaterThanOrEqual(
      view?.execution.finishedAt ?? Number.POSITIVE_INFINITY,
    );
  });

  it("sends nothing to a caller who did not press the key and hung up", async () => {
    const { call, sender, store } = textsHoldline([answer(ANSWER, SLOW_MS)]);

    await call(strategy, [say(QUESTION), silence], 20_000);

    expect(sender.sent).toEqual([]);
    const view = await store.readDelivery(TURN_1);
    expect(view?.delivery).toBeUndefined();
    expect(view?.execution).toMatchObject({ status: "completed", answer: ANSWER });
  });

  it("sends no text when the answer is ready before the key press is handled: the caller hears it on the line", async () => {
    // Polling: connect-text-offer finds the answer written and records nothing (answer_ready). Native-async:
    // the answer's return cuts the offer short, before the key.
    // Where the offer plays, from a call whose answer comes too late for it to matter.
    const probe = textsHoldline([answer(ANSWER, SLOW_MS)]);
    const probed = await probe.call(strategy, [say(QUESTION), silence], 30_000);
    const offer = promptsOf(probed, textOfferPrompt(EN_US, "1"))[0];
    const asked = probed.timeline.find((event) => event.kind === "caller-input")?.at;
    if (offer === undefined || asked === undefined) throw new Error("the flow made no offer");
    // The answer is written while the offer plays; the caller presses the key just after it ends.
    const { call, sender, store } = textsHoldline([answer(ANSWER, offer.at - asked)]);

    const ended = await call(strategy, [say(QUESTION), press("1", { afterMs: 500 }), GOODBYE]);

    expect(spoken(ended)).toContain(ANSWER);
    expect(promptsOf(ended, EN_US.textAccepted)).toEqual([]);
    expect(sender.sent).toEqual([]);
    expect((await store.readDelivery(TURN_1))?.delivery).toBeUndefined();
  });

  it("honours a consent that landed after connect-text-offer gave up: the caller gets the text, not the answer too", async () => {
    const { call, sender, store, clock } = textsHoldline([answer(ANSWER, SLOW_MS)]);
    // The store takes the consent write 4 s after it is sent: connect-text-offer answers `failed` within its
    // wait (2.6 s), and the write lands afterwards.
    const write = store.writeDelivery.bind(store);
    let delayed = false;
    store.writeDelivery = async (key, next, condition) => {
      if (!delayed && next.state === "consented") {
        delayed = true;
        await clock.sleep(4_000);
      }
      return write(key, next, condition);
    };

    const ended = await call(strategy, [say(QUESTION), press("1")]);

    expect(delayed).toBe(true);
    expect(spoken(ended)).not.toContain(ANSWER);
    expect(spoken(ended).at(-1)).toBe(EN_US.textAccepted);
    expect(sender.sent).toEqual([{ to: CALLER, body: expect.stringContaining(ANSWER) }]);
  });

  it("sends one text for stream records delivered twice", async () => {
    const { call, sender, holdline } = textsHoldline([answer(ANSWER, SLOW_MS)]);
    holdline.texts?.mapping.duplicateNextBatches(5);

    await call(strategy, [say(QUESTION), press("1")]);

    expect(sender.sent).toHaveLength(1);
  });

  it("texts a short apology when the model fails after the caller left", async () => {
    const { call, sender, store } = textsHoldline([failure("model_error", SLOW_MS)]);

    await call(strategy, [say(QUESTION), press("1")]);

    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]?.body).toMatch(/^Sorry, we could not answer/);
    expect((await store.readDelivery(TURN_1))?.delivery).toMatchObject({ state: "sent", kind: "apology" });
  });

  it("retries a failing SMS API, then records the delivery failed on the execution", async () => {
    const { call, sender, store } = textsHoldline([answer(ANSWER, SLOW_MS)]);
    sender.failNext(10, new TextSendError("text_failed", "the SMS API answered 500", { retryable: true }));

    await call(strategy, [say(QUESTION), press("1")]);

    expect(sender.sent).toEqual([]);
    expect(sender.attempts).toBe(MAX_TEXT_ATTEMPTS);
    expect((await store.readDelivery(TURN_1))?.delivery).toMatchObject({
      state: "failed",
      attempts: MAX_TEXT_ATTEMPTS,
      error: { code: "text_failed" },
    });
  });

  it("sends the on-failure destination the batch it could never process, when the store never answers", async () => {
    const { call, sender, store, stream, holdline } = textsHoldline([answer(ANSWER, SLOW_MS)]);
    // Once the delivery is due, the consumer's reads fail: every try of the record fails until the mapping
    // has retried it as often as it may.
    stream.onAppend(({ record }) => {
      if (record.dynamodb?.NewImage?.textDeliveryState?.S === "due") {
        store.readDelivery = async () => {
          throw new StoreUnavailableError("simulated: the table does not answer the consumer");
        };
      }
    });

    await call(strategy, [say(QUESTION), press("1")]);

    expect(sender.sent).toEqual([]);
    const records = holdline.texts?.onFailureRecords ?? [];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      requestContext: { condition: "RetryAttemptsExhausted" },
      DDBStreamBatchInfo: { batchSize: 1, streamArn: stream.streamArn },
    });
  });
});
