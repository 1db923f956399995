import { describe, expect, it, vi } from "vitest";
import { StoreUnavailableError } from "../../src/errors.ts";
import type { ExecutionKey } from "../../src/execution/execution.ts";
import type { InMemoryExecutionStore } from "../support/fakes/in-memory-execution-store.ts";
import { answer } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, question } from "./domain-harness.ts";

const outage = () => new StoreUnavailableError("simulated read outage");

/**
 * Reads fail with `store_unavailable` from now on (`count` of them, or all, after `skip` that go through);
 * writes go through.
 */
function failReads(store: InMemoryExecutionStore, count = Number.POSITIVE_INFINITY, skip = 0) {
  const read = store.get.bind(store);
  let failures = 0;
  let skipped = 0;
  return vi.spyOn(store, "get").mockImplementation(async (key: ExecutionKey) => {
    if (skipped < skip) {
      skipped += 1;
      return read(key);
    }
    if (failures >= count) return read(key);
    failures += 1;
    throw outage();
  });
}

describe("a store outage during a Connect-facing wait", () => {
  it("start: reads that all fail during the fast-path wait leave a registered execution in progress, within the wait", async () => {
    // Prepare
    const { start, clock, store, dispatcher } = domain({ script: [answer("nine", 30_000)] });
    const key = newKey();
    const readsFail = failReads(store);
    const before = clock.now();

    // Act
    const result = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 2_500 }));

    // Assess
    expect(result.created).toBe(true);
    expect(result.execution.status).toBe("queued");
    expect(dispatcher.dispatched).toEqual([key]);
    expect(readsFail).toHaveBeenCalled();
    expect(clock.now() - before).toBeLessThanOrEqual(2_500);
  });

  it("start: a failed read during the fast-path wait does not turn the answer into an error", async () => {
    // Prepare
    const { start, clock, store, workers } = domain({ script: [answer("nine", 1_000)], inlineWorker: true });
    const key = newKey();
    // The worker's own read goes through; the fast-path wait's first two fail.
    const readsFail = failReads(store, 2, 1);

    // Act
    const result = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 2_500 }));
    await clock.run(Promise.all(workers));

    // Assess
    expect(result.execution).toMatchObject({ status: "completed", answer: "nine" });
    expect(readsFail.mock.calls.length).toBeGreaterThan(3);
  });

  it("check: a failed read during the long-poll does not turn a registered execution into an error", async () => {
    // Prepare
    const { start, run, check, clock, store } = domain({ script: [answer("nine", 1_500)] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const worker = run.execute(key);
    failReads(store, 3);

    // Act
    const seen = await clock.run(check.execute({ key, waitBudgetMs: 2_500 }));
    await clock.run(worker);

    // Assess
    expect(seen).toMatchObject({ status: "completed", answer: "nine" });
  });

  it("check: reads that fail after one succeeded answer the last state known, within the wait", async () => {
    // Prepare
    const { start, run, check, clock, store } = domain({ script: [answer("nine", 30_000)] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    void run.execute(key);
    await clock.advance(100);
    const read = store.get.bind(store);
    let reads = 0;
    vi.spyOn(store, "get").mockImplementation(async (k: ExecutionKey) => {
      reads += 1;
      if (reads === 1) return read(k);
      throw outage();
    });
    const before = clock.now();

    // Act
    const seen = await clock.run(check.execute({ key, waitBudgetMs: 2_500 }));

    // Assess
    expect(seen.status).toBe("running");
    expect(reads).toBeGreaterThan(2);
    expect(clock.now() - before).toBeLessThanOrEqual(2_500);
  });

  it("check: with nothing known and every read failing, store_unavailable once the wait is spent, not later", async () => {
    // Prepare
    const { start, check, clock, store } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    failReads(store);
    const before = clock.now();

    // Act
    const outcome = clock.run(check.execute({ key, waitBudgetMs: 2_500 }));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(clock.now() - before).toBeLessThanOrEqual(2_500);
  });
});

describe("a create whose outcome is unknown", () => {
  it("is sent again with the same writer token, recognised as this call's own, and dispatched once", async () => {
    // Prepare
    const { start, clock, store, dispatcher } = domain({ script: [answer("nine", 30_000)] });
    const key = newKey();
    store.loseNextReply("createIfAbsent", "unavailable");
    const before = clock.now();

    // Act
    const result = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 2_500 }));

    // Assess
    expect(result.created).toBe(true);
    expect(store.requests.createIfAbsent).toBe(2);
    expect(dispatcher.dispatched).toEqual([key]);
    expect(clock.now() - before).toBeLessThanOrEqual(2_500);
  });

  it("that did not land is sent again and registers the turn", async () => {
    const { start, clock, store, dispatcher } = domain({ script: [answer("nine", 30_000)] });
    const key = newKey();
    store.failNext("createIfAbsent", 2);

    const result = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 2_500 }));

    expect(result.created).toBe(true);
    expect(store.requests.createIfAbsent).toBe(3);
    expect((await store.get(key))?.status).toBe("queued");
    expect(dispatcher.dispatched).toEqual([key]);
  });

  it("is not sent again past the wait: store_unavailable, the turn not known to be registered", async () => {
    const { start, clock, store, dispatcher } = domain();
    const key = newKey();
    store.failNext("createIfAbsent", 1_000);
    const before = clock.now();

    const outcome = clock.run(start.execute({ key, input: question(), fastPathWaitMs: 2_500 }));

    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(clock.now() - before).toBeLessThanOrEqual(2_500);
    expect(dispatcher.dispatched).toEqual([]);
  });

  it("with no wait (fastPathWaitMs 0), is not sent again", async () => {
    const { start, store } = domain();
    store.failNext("createIfAbsent", 1);

    await expect(
      start.execute({ key: newKey(), input: question(), fastPathWaitMs: 0 }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.requests.createIfAbsent).toBe(1);
  });
});
