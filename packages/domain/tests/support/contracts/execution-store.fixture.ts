import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { StaleExecutionError } from "../../../src/errors.ts";
import { type ExecutionKey, newExecution } from "../../../src/execution/execution.ts";
import type { ExecutionStore } from "../../../src/ports/execution-store.port.ts";
import { ManualClock } from "../clock/manual-clock.ts";

/** Shared setup for the `ExecutionStore` contract and its sibling case modules. */

export const DEADLINE_MS = 60_000;
export const RETENTION_S = 3_600;
export const LEASE = { leaseMs: 30_000, maxAttempts: 3 };

export const failure = () => ({ code: "model_error" as const, message: "boom", retryable: false });

/** Returns the per-test setup: a fresh clock and store, and helpers bound to them. */
export function executionStoreFixture(
  create: (clock: ManualClock) => Promise<ExecutionStore> | ExecutionStore,
) {
  return async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
    const store = await create(clock);
    const key = (turn = 1): ExecutionKey => ({ contactId: randomUUID(), turn });
    const fresh = (k: ExecutionKey, question = "What time do you open?") =>
      newExecution({
        key: k,
        input: { question, locale: "en-US" },
        now: clock.now(),
        deadlineMs: DEADLINE_MS,
        retentionSeconds: RETENTION_S,
      });
    /** What a refused writer learns: the execution carried by the refusal, or else a read. */
    const refusal = async (write: Promise<unknown>, key: ExecutionKey) => {
      const error = await write.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(StaleExecutionError);
      const carried = (error as StaleExecutionError).current;
      return { carried, current: carried ?? (await store.get(key)) };
    };
    return { clock, store, key, fresh, refusal };
  };
}

export type ExecutionStoreSetup = ReturnType<typeof executionStoreFixture>;
