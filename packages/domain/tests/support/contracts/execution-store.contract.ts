import { describe, expect, it } from "vitest";
import { ItemTooLargeError, StaleExecutionError } from "../../../src/errors.ts";
import { claim, complete, type Execution, fail, redispatch } from "../../../src/execution/execution.ts";
import type { ExecutionStore } from "../../../src/ports/execution-store.port.ts";
import type { ManualClock } from "../clock/manual-clock.ts";
import {
  DEADLINE_MS,
  executionStoreFixture,
  failure,
  LEASE,
  RETENTION_S,
} from "./execution-store.fixture.ts";
import { executionStoreLostReplyCases } from "./execution-store.lost-replies.contract.ts";
import { executionStorePartCases } from "./execution-store.parts.contract.ts";

export interface ExecutionStoreContractOptions {
  /** Builds a store reading time from `clock` (for TTL); called once per test. */
  readonly create: (clock: ManualClock) => Promise<ExecutionStore> | ExecutionStore;
  readonly timeoutMs?: number;
  /**
   * Whether a refused transition carries the stored execution (`StaleExecutionError.current`), as DynamoDB
   * does with `ReturnValuesOnConditionCheckFailure: ALL_OLD`. dynalite ignores that parameter, so on it the
   * writer reads instead. Default false: the refusal may or may not carry it.
   */
  readonly refusalCarriesCurrent?: boolean;
}

/**
 * The behaviour every `ExecutionStore` must have. Runs unchanged on the in-memory fake and on real
 * backends; each test uses a fresh random contact id so runs never collide.
 */
export function executionStoreContract(name: string, options: ExecutionStoreContractOptions): void {
  const setup = executionStoreFixture(options.create);

  describe(`ExecutionStore contract: ${name}`, { timeout: options.timeoutMs ?? 20_000 }, () => {
    it("reads an unknown key as absent", async () => {
      const { store, key } = await setup();

      expect(await store.get(key())).toBeUndefined();
    });

    it("creates an execution and reads back every field", async () => {
      // Prepare
      const { store, key, fresh } = await setup();
      const execution = fresh(key(3), "営業時間は何時までですか？");

      // Act
      const result = await store.createIfAbsent(execution);

      // Assess
      expect(result).toEqual({ created: true, execution });
      expect(await store.get(execution)).toEqual(execution);
    });

    it("returns the existing execution unchanged when the key is taken", async () => {
      // Prepare
      const { store, key, fresh } = await setup();
      const k = key();
      const first = fresh(k, "first question");
      await store.createIfAbsent(first);

      // Act
      const again = await store.createIfAbsent(fresh(k, "another question"));

      // Assess
      expect(again.created).toBe(false);
      expect(again.execution).toEqual(first);
    });

    it("lets exactly one of 10 concurrent creates of one key win", async () => {
      // Prepare
      const { store, key, fresh } = await setup();
      const k = key();

      // Act
      const results = await Promise.all(Array.from({ length: 10 }, () => store.createIfAbsent(fresh(k))));

      // Assess
      expect(results.filter((result) => result.created)).toHaveLength(1);
    });

    it("applies a transition at the expected version and returns the new image", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      const claimed = claim(created, { now: clock.now() + 5, ...LEASE });

      // Act
      const written = await store.transition(claimed, created);

      // Assess
      expect(written).toEqual({ ...claimed, version: created.version + 1 });
      expect(await store.get(created)).toEqual(written);
    });

    it("removes attributes a transition leaves out", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      const running = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);
      const done = complete(running, {
        now: clock.now() + 1_000,
        answer: "We open at nine.",
        usage: { inputTokens: 12, outputTokens: 7, latencyMs: 950, modelId: "model-x" },
      });

      // Act
      const written = await store.transition(done, running);

      // Assess
      expect(written.leaseUntil).toBeUndefined();
      expect(await store.get(created)).toEqual(written);
    });

    it("refuses a stale version and leaves the execution as it was", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      const claimed = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);

      // Act
      const stale = store.transition(fail(created, { now: clock.now(), error: failure() }), created);

      // Assess
      await expect(stale).rejects.toBeInstanceOf(StaleExecutionError);
      await expect(stale).rejects.toMatchObject({ code: "stale_version" });
      expect(await store.get(created)).toEqual(claimed);
    });

    it("refuses an old version even when the status still matches", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      const redispatched = await store.transition(redispatch(created, { now: clock.now() + 1_000 }), created);

      // Act
      const stale = store.transition(claim(created, { now: clock.now() + 2_000, ...LEASE }), created);

      // Assess
      await expect(stale).rejects.toBeInstanceOf(StaleExecutionError);
      expect(await store.get(created)).toEqual(redispatched);
    });

    it("refuses a transition whose expected status does not match", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;

      // Act
      const attempt = store.transition(claim(created, { now: clock.now(), ...LEASE }), {
        version: created.version,
        status: "running",
      });

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(StaleExecutionError);
      expect(await store.get(created)).toEqual(created);
    });

    it("refuses a transition of an execution that does not exist", async () => {
      const { clock, store, key, fresh } = await setup();
      const ghost = fresh(key());

      await expect(
        store.transition(claim(ghost, { now: clock.now(), ...LEASE }), ghost),
      ).rejects.toBeInstanceOf(StaleExecutionError);
      expect(await store.get(ghost)).toBeUndefined();
    });

    it("never changes a terminal execution, even at its current version", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      const failed = await store.transition(fail(created, { now: clock.now(), error: failure() }), created);
      const rewrite: Execution = {
        ...failed,
        status: "completed",
        answer: "late",
        version: failed.version + 1,
      };

      // Act
      const attempt = store.transition(rewrite, failed);

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(StaleExecutionError);
      expect(await store.get(created)).toEqual(failed);
    });

    it("lets exactly one of 50 concurrent claims win", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;

      // Act
      const attempts = await Promise.allSettled(
        Array.from({ length: 50 }, (_, worker) =>
          store.transition(claim(created, { now: clock.now() + worker, ...LEASE }), created),
        ),
      );

      // Assess
      const winners = attempts.filter((attempt) => attempt.status === "fulfilled");
      const losers = attempts.filter((attempt) => attempt.status === "rejected");
      expect(winners).toHaveLength(1);
      expect(losers.every((loser) => loser.reason instanceof StaleExecutionError)).toBe(true);
      expect((await store.get(created))?.version).toBe(created.version + 1);
    });

    it("reads an execution whose TTL has passed as absent, and lets its key be created again", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const k = key();
      const old = (await store.createIfAbsent(fresh(k, "old"))).execution;
      await clock.advance(old.expiresAt * 1000 - clock.now() + 1_000);

      // Act
      const read = await store.get(k);
      const recreated = await store.createIfAbsent(fresh(k, "new"));

      // Assess
      expect(read).toBeUndefined();
      expect(recreated.created).toBe(true);
      expect((await store.get(k))?.input.question).toBe("new");
    });

    it("refuses a transition of an execution whose TTL has passed", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      await clock.advance(created.expiresAt * 1000 - clock.now());

      // Act
      const attempt = store.transition(claim(created, { now: clock.now(), ...LEASE }), created);

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(StaleExecutionError);
    });

    it("lists earlier turns of a contact, newest first and bounded", async () => {
      // Prepare
      const { store, key, fresh } = await setup();
      const { contactId } = key();
      for (const turn of [1, 2, 3, 4, 5, 10, 11]) {
        await store.createIfAbsent(fresh({ contactId, turn }, `question ${turn}`));
      }
      await store.createIfAbsent(fresh(key(2), "someone else's"));

      // Act
      const recent = await store.recentTurns(contactId, 10, 3);

      // Assess
      expect(recent.map((execution) => execution.turn)).toEqual([5, 4, 3]);
      expect(recent.every((execution) => execution.contactId === contactId)).toBe(true);
    });

    it("leaves expired turns out of the recent turns", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const { contactId } = key();
      await store.createIfAbsent(fresh({ contactId, turn: 1 }));
      await clock.advance((DEADLINE_MS + RETENTION_S * 1000) / 2);
      await store.createIfAbsent(fresh({ contactId, turn: 2 }));
      await clock.advance((DEADLINE_MS + RETENTION_S * 1000) / 2 + 1_000);

      // Act
      const recent = await store.recentTurns(contactId, 3, 5);

      // Assess
      expect(recent.map((execution) => execution.turn)).toEqual([2]);
    });

    executionStoreLostReplyCases(setup, options);

    executionStorePartCases(setup);

    it("stores an answer near the item-size limit", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      const running = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);
      const answer = "a".repeat(380_000);

      // Act
      const written = await store.transition(complete(running, { now: clock.now(), answer }), running);

      // Assess
      expect(written.answer).toHaveLength(380_000);
      expect((await store.get(created))?.answer).toBe(answer);
    });

    it("refuses an answer over the item-size limit with item_too_large", async () => {
      // Prepare
      const { clock, store, key, fresh } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      const running = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);

      // Act
      const attempt = store.transition(
        complete(running, { now: clock.now(), answer: "あ".repeat(150_000) }),
        running,
      );

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(ItemTooLargeError);
      await expect(attempt).rejects.toMatchObject({ code: "item_too_large" });
      expect(await store.get(created)).toEqual(running);
    });
  });
}
