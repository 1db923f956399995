import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { DispatchError } from "../../../src/errors.ts";
import type { ExecutionKey } from "../../../src/execution/execution.ts";
import type { AbandonedStart, WorkDispatcher } from "../../../src/ports/work-dispatcher.port.ts";

/** Where a dispatched key goes. */
export type DispatchDelivery<S> =
  /** A separate worker receives the key; `delivered` lists the keys it received so far, in order. */
  | {
      readonly kind: "worker";
      delivered(subject: S): Promise<readonly ExecutionKey[]> | readonly ExecutionKey[];
      /** The abandoned starts the worker received so far, in order. */
      abandoned(subject: S): Promise<readonly AbandonedStart[]> | readonly AbandonedStart[];
    }
  /** The dispatching handler runs the work itself (`InlineDispatcher`): the key is handed nowhere. */
  | { readonly kind: "inline" };

/** Whether the contract can make the backend refuse a dispatch. */
export type DispatchRefusal<S> =
  /** `refuseNext` makes the backend refuse the next dispatch, as a failed `Invoke` would. */
  | { readonly kind: "scripted"; refuseNext(subject: S): void }
  /** Nothing behind the dispatcher can fail (`InlineDispatcher`): a dispatch never rejects. */
  | { readonly kind: "none" };

export interface WorkDispatcherContractOptions<S extends { readonly dispatcher: WorkDispatcher }> {
  /** Builds the dispatcher and whatever stands behind it; called once per test. */
  readonly create: () => Promise<S> | S;
  readonly delivery: DispatchDelivery<S>;
  readonly refusal: DispatchRefusal<S>;
  readonly dispose?: (subject: S) => Promise<void> | void;
  readonly timeoutMs?: number;
}

const key = (turn = 1): ExecutionKey => ({ contactId: randomUUID(), turn });

const abandonedStart = (turn = 1): AbandonedStart => ({
  key: key(turn),
  writer: randomUUID(),
  input: { question: "Is the shop open on Sunday?", locale: "en-US" },
  createdAt: 1_800_000_000_000,
  deadlineAt: 1_800_000_060_000,
});

/** Resolves on the next turn of the event loop, after every microtask but before any timer or I/O. */
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The behaviour every `WorkDispatcher` must have (see the port): it resolves once it has handed the key
 * on, delivers at least once (a key dispatched again is delivered again), hands the worker only the key,
 * and a dispatch it could not hand on rejects with `DispatchError` (`dispatch_failed`), leaving the
 * execution to be dispatched again. Each test uses fresh random keys.
 */
export function workDispatcherContract<S extends { readonly dispatcher: WorkDispatcher }>(
  name: string,
  options: WorkDispatcherContractOptions<S>,
): void {
  describe(`WorkDispatcher contract: ${name}`, { timeout: options.timeoutMs ?? 10_000 }, () => {
    let subject: S | undefined;
    const setup = async () => {
      subject = await options.create();
      return subject;
    };
    afterEach(async () => {
      if (subject !== undefined) await options.dispose?.(subject);
      subject = undefined;
    });

    it("resolves for a key it accepts", async () => {
      const { dispatcher } = await setup();

      await expect(dispatcher.dispatch(key())).resolves.toBeUndefined();
    });

    it("resolves each of 10 dispatches made at once", async () => {
      // Prepare
      const { dispatcher } = await setup();

      // Act
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => dispatcher.dispatch(key(i + 1))),
      );

      // Assess
      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(10).fill("fulfilled"));
    });

    const { delivery } = options;
    if (delivery.kind === "worker") {
      it("hands the worker the key alone, even when given a whole execution", async () => {
        // Prepare
        const subject = await setup();
        const k = key(3);
        const execution = { ...k, status: "queued", input: { question: "Open today?", locale: "en-US" } };

        // Act
        await subject.dispatcher.dispatch(execution);

        // Assess
        expect(await delivery.delivered(subject)).toEqual([{ contactId: k.contactId, turn: 3 }]);
      });

      it("delivers every one of several keys dispatched at once", async () => {
        // Prepare
        const subject = await setup();
        const keys = Array.from({ length: 5 }, (_, i) => key(i + 1));

        // Act
        await Promise.all(keys.map((k) => subject.dispatcher.dispatch(k)));

        // Assess
        const delivered = await delivery.delivered(subject);
        expect(delivered).toHaveLength(5);
        expect(delivered).toEqual(expect.arrayContaining(keys));
      });

      it("hands the worker an abandoned start whole, and no key to run", async () => {
        // Prepare
        const subject = await setup();
        const start = abandonedStart(2);

        // Act
        await subject.dispatcher.abandon(start);

        // Assess
        expect(await delivery.abandoned(subject)).toEqual([start]);
        expect(await delivery.delivered(subject)).toEqual([]);
      });

      it("delivers a key again when it is dispatched again (at least once, never deduplicated)", async () => {
        // Prepare
        const subject = await setup();
        const k = key();

        // Act
        await subject.dispatcher.dispatch(k);
        await subject.dispatcher.dispatch(k);

        // Assess
        const delivered = await delivery.delivered(subject);
        expect(
          delivered.filter((d) => d.contactId === k.contactId && d.turn === k.turn).length,
        ).toBeGreaterThanOrEqual(2);
      });
    } else {
      it("settles before any timer or I/O could run: the dispatching handler runs the work itself", async () => {
        // Prepare
        const { dispatcher } = await setup();
        let settled = false;

        // Act
        void dispatcher.dispatch(key()).then(() => {
          settled = true;
        });
        await nextTick();

        // Assess
        expect(settled).toBe(true);
      });
    }

    const { refusal } = options;
    if (refusal.kind === "scripted") {
      it("rejects a refused dispatch with DispatchError (dispatch_failed)", async () => {
        // Prepare
        const subject = await setup();
        refusal.refuseNext(subject);

        // Act
        const outcome = subject.dispatcher.dispatch(key());

        // Assess
        await expect(outcome).rejects.toBeInstanceOf(DispatchError);
        await expect(outcome).rejects.toMatchObject({ code: "dispatch_failed" });
      });

      if (delivery.kind === "worker") {
        it("delivers nothing for a refused dispatch", async () => {
          // Prepare
          const subject = await setup();
          refusal.refuseNext(subject);

          // Act
          await subject.dispatcher.dispatch(key()).catch(() => undefined);

          // Assess
          expect(await delivery.delivered(subject)).toEqual([]);
        });
      }

      it("rejects a refused abandon with DispatchError (dispatch_failed)", async () => {
        // Prepare
        const subject = await setup();
        refusal.refuseNext(subject);

        // Act
        const outcome = subject.dispatcher.abandon(abandonedStart());

        // Assess
        await expect(outcome).rejects.toMatchObject({ code: "dispatch_failed" });
        if (delivery.kind === "worker") expect(await delivery.abandoned(subject)).toEqual([]);
      });

      it("accepts the key when it is dispatched again after a refusal", async () => {
        // Prepare
        const subject = await setup();
        const k = key();
        refusal.refuseNext(subject);
        await subject.dispatcher.dispatch(k).catch(() => undefined);

        // Act
        const again = subject.dispatcher.dispatch(k);

        // Assess
        await expect(again).resolves.toBeUndefined();
        if (delivery.kind === "worker") expect(await delivery.delivered(subject)).toEqual([k]);
      });
    } else {
      it("never rejects: nothing behind it can refuse a dispatch, even of one key again and again", async () => {
        // Prepare
        const { dispatcher } = await setup();
        const k = key();

        // Act
        const outcomes = await Promise.allSettled([1, 2, 3].map(() => dispatcher.dispatch(k)));

        // Assess
        expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
      });
    }
  });
}
