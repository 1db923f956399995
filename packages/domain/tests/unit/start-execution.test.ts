import { describe, expect, it } from "vitest";
import { IdempotencyConflictError } from "../../src/errors.ts";
import { answer } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";

describe("StartExecution", () => {
  it("registers a queued execution and dispatches it once", async () => {
    // Prepare
    const { start, store, dispatcher } = domain();
    const key = newKey();

    // Act
    const result = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Assess
    expect(result.created).toBe(true);
    expect(result.execution).toMatchObject({ ...key, status: "queued", input: question() });
    expect(await store.get(key)).toEqual(result.execution);
    expect(dispatcher.dispatched).toEqual([key]);
  });

  it("turns 10 concurrent starts of one key into one execution and one dispatch", async () => {
    // Prepare
    const { start, dispatcher } = domain();
    const key = newKey();

    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, () => start.execute({ key, input: question(), fastPathWaitMs: 0 })),
    );

    // Assess
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.execution.createdAt)).size).toBe(1);
    expect(dispatcher.dispatched).toHaveLength(1);
  });

  it("returns the existing execution to a repeat without dispatching again", async () => {
    // Prepare
    const { start, dispatcher, clock } = domain();
    const key = newKey();
    const first = await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(1_000);

    // Act
    const again = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Assess
    expect(again).toEqual({ created: false, execution: first.execution });
    expect(dispatcher.dispatched).toHaveLength(1);
  });

  it("refuses the same key with a different question as idempotency_conflict", async () => {
    const { start } = domain();
    const key = newKey();
    await start.execute({ key, input: question("hours?"), fastPathWaitMs: 0 });

    const conflicting = start.execute({ key, input: question("address?"), fastPathWaitMs: 0 });

    await expect(conflicting).rejects.toBeInstanceOf(IdempotencyConflictError);
    await expect(conflicting).rejects.toMatchObject({ code: "idempotency_conflict" });
  });

  it("refuses the same key with a different locale as idempotency_conflict", async () => {
    const { start } = domain();
    const key = newKey();
    await start.execute({ key, input: question("hours?", "en-US"), fastPathWaitMs: 0 });

    await expect(
      start.execute({ key, input: question("hours?", "ja-JP"), fastPathWaitMs: 0 }),
    ).rejects.toMatchObject({ code: "idempotency_conflict" });
  });

  it("leaves the execution queued when the dispatch fails", async () => {
    // Prepare
    const { start, dispatcher, store } = domain();
    dispatcher.failNext();
    const key = newKey();

    // Act
    const result = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Assess
    expect(result.execution.status).toBe("queued");
    expect((await store.get(key))?.status).toBe("queued");
    expect(dispatcher.dispatched).toHaveLength(0);
  });

  it("dispatches a repeat's execution again once its dispatch is evidently lost", async () => {
    // Prepare
    const { start, dispatcher, clock, store } = domain();
    dispatcher.failNext();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.lostDispatchAfterMs);

    // Act
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Assess
    expect(dispatcher.dispatched).toEqual([key]);
    expect((await store.get(key))?.dispatchedAt).toBe(clock.now());
  });

  it("does not re-dispatch a queued execution before the lost-dispatch threshold", async () => {
    const { start, dispatcher, clock } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.lostDispatchAfterMs - 1);

    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    expect(dispatcher.dispatched).toHaveLength(1);
  });

  it("re-dispatches a lost execution only once among concurrent repeats", async () => {
    const { start, dispatcher, clock } = domain();
    dispatcher.failNext();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.lostDispatchAfterMs);

    await Promise.all(
      Array.from({ length: 5 }, () => start.execute({ key, input: question(), fastPathWaitMs: 0 })),
    );

    expect(dispatcher.dispatched).toHaveLength(1);
  });

  it("returns a fast answer directly within the fast-path wait", async () => {
    // Prepare
    const { start, clock, workers } = domain({
      script: [answer("We open at nine.", 1_200)],
      inlineWorker: true,
    });
    const key = newKey();

    // Act
    const result = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 3_000 }));
    await Promise.all(workers);

    // Assess
    expect(result.execution).toMatchObject({ status: "completed", answer: "We open at nine." });
    expect(clock.now() - result.execution.createdAt).toBeLessThanOrEqual(1_200 + policy.pollIntervalMs);
  });

  it("returns in progress when the fast-path wait runs out first", async () => {
    const { start, clock } = domain();
    const key = newKey();

    const result = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 3_000 }));

    expect(result.execution.status).toBe("queued");
    expect(clock.now() - result.execution.createdAt).toBe(3_000);
  });

  it("counts a slow registration and dispatch against the fast-path wait", async () => {
    // Prepare
    const { start, clock, dispatcher } = domain();
    const slowDispatch = dispatcher.dispatch.bind(dispatcher);
    dispatcher.dispatch = async (key) => {
      await clock.sleep(2_000);
      await slowDispatch(key);
    };
    const key = newKey();
    const calledAt = clock.now();

    // Act
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 3_000 }));

    // Assess
    expect(clock.now() - calledAt).toBe(3_000);
  });

  it("fails an execution past its deadline when a repeat observes it", async () => {
    // Prepare
    const { start, clock } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.deadlineMs);

    // Act
    const repeat = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Assess
    expect(repeat.execution).toMatchObject({ status: "failed", error: { code: "deadline_exceeded" } });
  });
});
