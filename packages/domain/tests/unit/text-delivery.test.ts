import { beforeEach, describe, expect, it } from "vitest";
import { InvalidPhoneNumberError, TextSendError } from "../../src/errors.ts";
import {
  appendParts,
  claim,
  complete,
  type Execution,
  fail,
  newExecution,
} from "../../src/execution/execution.ts";
import {
  DeliverText,
  type DeliverTextPolicy,
} from "../../src/use-cases/text-delivery/deliver-text.use-case.ts";
import { RecordCallerLeft } from "../../src/use-cases/text-delivery/record-caller-left.use-case.ts";
import { RecordTextConsent } from "../../src/use-cases/text-delivery/record-text-consent.use-case.ts";
import { ManualClock } from "../support/clock/manual-clock.ts";
import { InMemoryExecutionStore, type ItemChange } from "../support/fakes/in-memory-execution-store.ts";
import { RecordingTextSender } from "../support/fakes/recording-text-sender.ts";

const PHONE = "+819012345678";
const KEY = { contactId: "contact-text", turn: 2 };
const POLICY: DeliverTextPolicy = { maxAttempts: 3, claimMs: 30_000, recordWithinMs: 5_000, maxSegments: 5 };

describe("text delivery (issue 18)", () => {
  let clock: ManualClock;
  let store: InMemoryExecutionStore;
  let sender: RecordingTextSender;
  let consentUseCase: RecordTextConsent;
  let left: RecordCallerLeft;
  let deliver: DeliverText;

  beforeEach(() => {
    clock = new ManualClock(Date.UTC(2026, 10, 29, 9));
    store = new InMemoryExecutionStore(clock);
    sender = new RecordingTextSender();
    consentUseCase = new RecordTextConsent(store, clock);
    left = new RecordCallerLeft(store, clock);
    deliver = new DeliverText(store, sender, clock, POLICY);
  });

  async function running(key = KEY, locale = "ja-JP"): Promise<Execution> {
    const queued = newExecution({
      key,
      input: { question: "営業時間は？", locale },
      now: clock.now(),
      deadlineMs: 60_000,
      retentionSeconds: 3_600,
    });
    await store.createIfAbsent(queued);
    const claimed = claim(queued, { now: clock.now(), leaseMs: 20_000, maxAttempts: 2 });
    return store.transition(claimed, { version: 1, status: "queued" });
  }

  const finish = async (
    execution: Execution,
    answer = "平日は九時から十八時までです。",
  ): Promise<Execution> => store.transition(complete(execution, { now: clock.now(), answer }), execution);

  describe("RecordTextConsent", () => {
    it("records the number while the turn has no answer to speak", async () => {
      await running();
      const result = await consentUseCase.execute({ key: KEY, address: PHONE });
      expect(result.outcome).toBe("consented");
      expect((await store.readDelivery(KEY))?.delivery).toMatchObject({
        state: "consented",
        to: PHONE,
        revision: 1,
      });
    });

    it("stores no number when the answer is already here: the caller hears it instead", async () => {
      await finish(await running());
      const result = await consentUseCase.execute({ key: KEY, address: PHONE });
      expect(result.outcome).toBe("answer_ready");
      expect((await store.readDelivery(KEY))?.delivery).toBeUndefined();
    });

    it("stores no number once a part of the answer is recorded", async () => {
      const execution = await running();
      await store.transition(
        appendParts(execution, { parts: ["最初の文です。"], now: clock.now() }),
        execution,
      );
      expect((await consentUseCase.execute({ key: KEY, address: PHONE })).outcome).toBe("answer_ready");
      expect((await store.readDelivery(KEY))?.delivery).toBeUndefined();
    });

    it.each([undefined, "", "anonymous", "09012345678", "+0123456789", "+81 90 1234 5678"])(
      "refuses the number %j with invalid_phone_number and stores nothing",
      async (address) => {
        await running();
        await expect(consentUseCase.execute({ key: KEY, address })).rejects.toBeInstanceOf(
          InvalidPhoneNumberError,
        );
        expect((await store.readDelivery(KEY))?.delivery).toBeUndefined();
      },
    );

    it("answers a repeated press with the consent already recorded, writing nothing", async () => {
      await running();
      await consentUseCase.execute({ key: KEY, address: PHONE });
      const writes = store.requests.writeDelivery;
      const again = await consentUseCase.execute({ key: KEY, address: PHONE });
      expect(again.outcome).toBe("consented");
      expect(store.requests.writeDelivery).toBe(writes);
    });

    it("loses to an answer that lands between its read and its write", async () => {
      const execution = await running();
      const original = store.readDelivery.bind(store);
      let first = true;
      store.readDelivery = async (key) => {
        const view = await original(key);
        if (first) {
          first = false;
          await finish(execution);
        }
        return view;
      };
      const result = await consentUseCase.execute({ key: KEY, address: PHONE });
      expect(result.outcome).toBe("answer_ready");
      store.readDelivery = original;
      expect((await store.readDelivery(KEY))?.delivery).toBeUndefined();
    });
  });

  describe("RecordCallerLeft", () => {
    it("makes the consented delivery of the contact's latest turn due, once", async () => {
      await running({ contactId: KEY.contactId, turn: 1 });
      await running();
      await consentUseCase.execute({ key: KEY, address: PHONE });
      expect((await left.execute({ contactId: KEY.contactId })).outcome).toBe("recorded");
      expect((await store.readDelivery(KEY))?.delivery).toMatchObject({ state: "due", leftAt: clock.now() });
      expect((await left.execute({ contactId: KEY.contactId })).outcome).toBe("already");
    });

    it("records nothing for a caller who gave no consent, or an unknown contact", async () => {
      await running();
      const writes = store.requests.writeDelivery;
      expect((await left.execute({ contactId: KEY.contactId })).outcome).toBe("no_consent");
      expect((await left.execute({ contactId: "someone-else" })).outcome).toBe("unknown_contact");
      expect(store.requests.writeDelivery).toBe(writes);
    });
  });

  describe("DeliverText", () => {
    async function dueThenFinished(answer?: string): Promise<void> {
      const execution = await running();
      await consentUseCase.execute({ key: KEY, address: PHONE });
      await left.execute({ contactId: KEY.contactId });
      await finish(execution, answer);
    }

    it("sends the answer once, with a sign-off, and records it sent", async () => {
      await dueThenFinished();
      const result = await deliver.execute({ key: KEY });
      expect(result.outcome).toBe("sent");
      expect(sender.sent).toEqual([
        { to: PHONE, body: expect.stringContaining("平日は九時から十八時までです。") },
      ]);
      expect(sender.sent[0]?.body).not.toContain("営業時間は？");
      expect((await store.readDelivery(KEY))?.delivery).toMatchObject({
        state: "sent",
        messageId: "msg-1",
        kind: "answer",
      });
    });

    it("sends nothing for a duplicate record", async () => {
      await dueThenFinished();
      await deliver.execute({ key: KEY });
      expect(await deliver.execute({ key: KEY })).toEqual({ outcome: "skipped", reason: "done" });
      expect(sender.sent).toHaveLength(1);
    });

    it("sends nothing while the caller is on the line, without consent, or before the turn ends", async () => {
      const execution = await running();
      expect(await deliver.execute({ key: KEY })).toEqual({ outcome: "skipped", reason: "no_consent" });
      await consentUseCase.execute({ key: KEY, address: PHONE });
      expect(await deliver.execute({ key: KEY })).toEqual({ outcome: "skipped", reason: "on_the_line" });
      await left.execute({ contactId: KEY.contactId });
      expect(await deliver.execute({ key: KEY })).toEqual({ outcome: "skipped", reason: "not_ended" });
      await finish(execution);
      expect((await deliver.execute({ key: KEY })).outcome).toBe("sent");
      expect(sender.sent).toHaveLength(1);
    });

    it("sends a short apology when the turn failed", async () => {
      const execution = await running(KEY, "en-US");
      await consentUseCase.execute({ key: KEY, address: PHONE });
      await left.execute({ contactId: KEY.contactId });
      const error = { code: "model_error" as const, message: "the model failed", retryable: false };
      await store.transition(fail(execution, { now: clock.now(), error }), execution);
      const result = await deliver.execute({ key: KEY });
      expect(result).toMatchObject({ outcome: "sent", kind: "apology" });
      expect(sender.sent[0]?.body).toMatch(/^Sorry, we could not answer/);
      expect(sender.sent[0]?.body).not.toContain("model");
    });

    it("asks for a retry when the send is throttled, then sends on the retry", async () => {
      await dueThenFinished();
      sender.failNext(1);
      const first = await deliver.execute({ key: KEY });
      expect(first).toMatchObject({ outcome: "retry", reason: "send_failed" });
      expect((await store.readDelivery(KEY))?.delivery).toMatchObject({ state: "retrying", attempts: 1 });
      expect((await deliver.execute({ key: KEY })).outcome).toBe("sent");
      expect(sender.sent).toHaveLength(1);
    });

    it("records the delivery failed when its attempts run out", async () => {
      await dueThenFinished();
      sender.failNext(POLICY.maxAttempts);
      for (let i = 1; i < POLICY.maxAttempts; i += 1) {
        expect((await deliver.execute({ key: KEY })).outcome).toBe("retry");
      }
      const last = await deliver.execute({ key: KEY });
      expect(last.outcome).toBe("failed");
      expect((await store.readDelivery(KEY))?.delivery).toMatchObject({
        state: "failed",
        attempts: POLICY.maxAttempts,
        error: { code: "text_throttled" },
      });
      expect(await deliver.execute({ key: KEY })).toEqual({ outcome: "skipped", reason: "done" });
      expect(sender.attempts).toBe(POLICY.maxAttempts);
    });

    it("records a send that can never succeed failed at once", async () => {
      await dueThenFinished();
      sender.failNext(1, new TextSendError("text_rejected", "opted out", { retryable: false }));
      expect((await deliver.execute({ key: KEY })).outcome).toBe("failed");
      expect(sender.attempts).toBe(1);
    });

    it("leaves a send held by a live run to that run, and takes it over once the claim lapses", async () => {
      await dueThenFinished();
      const view = await store.readDelivery(KEY);
      const delivery = view?.delivery;
      if (delivery === undefined) throw new Error("no delivery");
      // A run claimed the send and died before recording it.
      await store.writeDelivery(
        KEY,
        {
          ...delivery,
          state: "sending",
          revision: delivery.revision + 1,
          attempts: 1,
          sender: "dead-run",
          sendingUntil: clock.now() + POLICY.claimMs,
        },
        { expectedRevision: delivery.revision },
      );
      expect(await deliver.execute({ key: KEY })).toEqual({ outcome: "retry", reason: "held" });
      await clock.advance(POLICY.claimMs);
      expect((await deliver.execute({ key: KEY })).outcome).toBe("sent");
    });

    it("cuts a long answer at a sentence end within the segment cap", async () => {
      const sentence = "これは長い回答の一文です。";
      await dueThenFinished(sentence.repeat(60));
      await deliver.execute({ key: KEY });
      const body = sender.sent[0]?.body ?? "";
      expect(body.length).toBeLessThanOrEqual(67 * POLICY.maxSegments);
      expect(body.split("\n")[0]?.endsWith("。")).toBe(true);
    });
  });

  it("reports every change of an item in order, the delivery with its execution (the stream's source)", async () => {
    const changes: ItemChange[] = [];
    store.onChange((change) => changes.push(change));
    await dueThenFinishedFor(store, clock);
    expect(
      changes.map((c) => [c.before?.execution.status, c.after?.execution.status, c.after?.delivery?.state]),
    ).toEqual([
      [undefined, "queued", undefined],
      ["queued", "running", undefined],
      ["running", "running", "consented"],
      ["running", "running", "due"],
      ["running", "completed", "due"],
    ]);
  });
});

async function dueThenFinishedFor(store: InMemoryExecutionStore, clock: ManualClock): Promise<void> {
  const queued = newExecution({
    key: KEY,
    input: { question: "q", locale: "en-US" },
    now: clock.now(),
    deadlineMs: 60_000,
    retentionSeconds: 3_600,
  });
  await store.createIfAbsent(queued);
  const claimed = await store.transition(
    claim(queued, { now: clock.now(), leaseMs: 20_000, maxAttempts: 2 }),
    queued,
  );
  await new RecordTextConsent(store, clock).execute({ key: KEY, address: PHONE });
  await new RecordCallerLeft(store, clock).execute({ contactId: KEY.contactId });
  await store.transition(complete(claimed, { now: clock.now(), answer: "a" }), claimed);
}
