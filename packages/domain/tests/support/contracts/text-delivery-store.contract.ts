import { describe, expect, it } from "vitest";
import { StaleDeliveryError } from "../../../src/errors.ts";
import {
  appendParts,
  claim,
  complete,
  type Execution,
  type ExecutionKey,
  newExecution,
} from "../../../src/execution/execution.ts";
import type { ExecutionStore } from "../../../src/ports/execution-store.port.ts";
import type { TextDeliveryStore } from "../../../src/ports/text-delivery-store.port.ts";
import { callerLeft, claimSend, consent, sent } from "../../../src/text-delivery/text-delivery.ts";
import { ManualClock } from "../clock/manual-clock.ts";

export interface TextDeliveryStoreContractOptions {
  /** One backend for both ports, over the same items (the delivery lives on the execution's item). */
  readonly create: (
    clock: ManualClock,
  ) => Promise<ExecutionStore & TextDeliveryStore> | (ExecutionStore & TextDeliveryStore);
  readonly timeoutMs?: number;
}

const PHONE = "+15555550123";

/** The behaviour every `TextDeliveryStore` must have, on the in-memory fake and on DynamoDB. */
export function textDeliveryStoreContract(name: string, options: TextDeliveryStoreContractOptions): void {
  async function setup() {
    const clock = new ManualClock(Date.now());
    const store = await options.create(clock);
    const contactId = `text-${globalThis.crypto.randomUUID()}`;
    const running = async (turn = 1): Promise<Execution> => {
      const queued = newExecution({
        key: { contactId, turn },
        input: { question: "when do you open?", locale: "en-US" },
        now: clock.now(),
        deadlineMs: 60_000,
        retentionSeconds: 60,
      });
      await store.createIfAbsent(queued);
      return store.transition(claim(queued, { now: clock.now(), leaseMs: 20_000, maxAttempts: 2 }), queued);
    };
    return { clock, store, contactId, running };
  }

  describe(`TextDeliveryStore contract: ${name}`, { timeout: options.timeoutMs ?? 20_000 }, () => {
    it("reads an execution without consent with no delivery, and an unknown key as absent", async () => {
      const { store, contactId, running } = await setup();
      const execution = await running();
      expect(await store.readDelivery(execution)).toEqual({ execution });
      expect(await store.readDelivery({ contactId, turn: 9 })).toBeUndefined();
    });

    it("records a consent once, while the turn awaits its answer, and reads it back whole", async () => {
      const { clock, store, running } = await setup();
      const execution = await running();
      const given = consent({ to: PHONE, now: clock.now() });
      await store.writeDelivery(execution, given, { expectedRevision: 0, whileAwaitingAnswer: true });
      expect((await store.readDelivery(execution))?.delivery).toEqual(given);
      await expect(
        store.writeDelivery(execution, given, { expectedRevision: 0, whileAwaitingAnswer: true }),
      ).rejects.toBeInstanceOf(StaleDeliveryError);
    });

    it("refuses a consent once the turn ended or recorded a part", async () => {
      const { clock, store, running } = await setup();
      const ended = await running(1);
      await store.transition(complete(ended, { now: clock.now(), answer: "nine" }), ended);
      const speaking = await running(2);
      await store.transition(appendParts(speaking, { parts: ["We open"], now: clock.now() }), speaking);
      for (const key of [ended, speaking] as ExecutionKey[]) {
        await expect(
          store.writeDelivery(key, consent({ to: PHONE, now: clock.now() }), {
            expectedRevision: 0,
            whileAwaitingAnswer: true,
          }),
        ).rejects.toBeInstanceOf(StaleDeliveryError);
        expect((await store.readDelivery(key))?.delivery).toBeUndefined();
      }
    });

    it("writes on a revision, also after the turn ended, and refuses a stale one", async () => {
      const { clock, store, running } = await setup();
      const execution = await running();
      const given = consent({ to: PHONE, now: clock.now() });
      await store.writeDelivery(execution, given, { expectedRevision: 0, whileAwaitingAnswer: true });
      const due = callerLeft(given, clock.now());
      if (due === undefined) throw new Error("consented delivery did not become due");
      await store.writeDelivery(execution, due, { expectedRevision: 1 });
      await expect(store.writeDelivery(execution, due, { expectedRevision: 1 })).rejects.toBeInstanceOf(
        StaleDeliveryError,
      );
      await store.transition(complete(execution, { now: clock.now(), answer: "nine" }), execution);
      const claimed = claimSend(due, { now: clock.now(), leaseMs: 1_000, by: "run-1" });
      await store.writeDelivery(execution, claimed, { expectedRevision: due.revision });
      const done = sent(claimed, { now: clock.now(), messageId: "m-1", kind: "answer" });
      await store.writeDelivery(execution, done, { expectedRevision: claimed.revision });
      expect(await store.readDelivery(execution)).toEqual({
        execution: expect.objectContaining({ status: "completed", answer: "nine" }),
        delivery: done,
      });
    });

    it("keeps the delivery through the execution's own transitions", async () => {
      const { clock, store, running } = await setup();
      const execution = await running();
      const given = consent({ to: PHONE, now: clock.now() });
      await store.writeDelivery(execution, given, { expectedRevision: 0, whileAwaitingAnswer: true });
      // The worker read the execution before the consent: its version is unchanged by it.
      await store.transition(complete(execution, { now: clock.now(), answer: "nine" }), execution);
      expect((await store.readDelivery(execution))?.delivery).toEqual(given);
    });

    it("finds the contact's latest turn", async () => {
      const { store, contactId, running } = await setup();
      await running(1);
      await running(3);
      await running(2);
      expect((await store.latestTurn(contactId))?.execution.turn).toBe(3);
      expect(await store.latestTurn(`${contactId}-nobody`)).toBeUndefined();
    });

    it("reads an expired execution as absent, its delivery with it, and refuses writes to it", async () => {
      const { clock, store, running } = await setup();
      const execution = await running();
      const given = consent({ to: PHONE, now: clock.now() });
      await store.writeDelivery(execution, given, { expectedRevision: 0, whileAwaitingAnswer: true });
      await clock.advance(execution.expiresAt * 1000 - clock.now());
      expect(await store.readDelivery(execution)).toBeUndefined();
      const due = callerLeft(given, clock.now());
      if (due === undefined) throw new Error("consented delivery did not become due");
      await expect(store.writeDelivery(execution, due, { expectedRevision: 1 })).rejects.toBeInstanceOf(
        StaleDeliveryError,
      );
    });
  });
}
