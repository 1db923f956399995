import { describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/errors.ts";
import { RESEND_FIRST_DELAY_MS, RESEND_MAX_DELAY_MS } from "../../src/use-cases/conditional-write.ts";
import type { LostReply } from "../support/fakes/in-memory-execution-store.ts";
import { answer } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";

const LOST_REPLIES: readonly LostReply[] = ["retried", "unavailable"];

describe("a write whose reply is lost", () => {
  describe.each(LOST_REPLIES)("heard as %s", (then) => {
    it("claim: the same worker still calls the model once and records the answer", async () => {
      // Prepare
      const { start, run, clock, store, llm } = domain({ script: [answer("We open at nine.", 2_000)] });
      const key = newKey();
      await start.execute({ key, input: question(), fastPathWaitMs: 0 });
      store.loseNextReply("transition", then);

      // Act
      const result = await clock.run(run.execute(key));

      // Assess
      expect(result.outcome).toBe("completed");
      expect(llm.calls).toBe(1);
      expect(await store.get(key)).toMatchObject({
        status: "completed",
        answer: "We open at nine.",
        attempt: 1,
      });
    });

    it("complete: the run reports the answer it recorded", async () => {
      // Prepare
      const { start, run, clock, store } = domain({ script: [answer("We open at nine.", 2_000)] });
      const key = newKey();
      await start.execute({ key, input: question(), fastPathWaitMs: 0 });
      const running = run.execute(key);
      await clock.advance(1_000);
      store.loseNextReply("transition", then);

      // Act
      const result = await clock.run(running);

      // Assess
      expect(result.outcome).toBe("completed");
      expect(result.execution).toMatchObject({ status: "completed", answer: "We open at nine." });
    });
  });

  it("claim, when the refusal does not carry the stored execution: the worker reads it and recognises its claim", async () => {
    // Prepare
    const { start, run, clock, store, llm } = domain({ store: { refusalCarriesCurrent: false } });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    store.loseNextReply("transition");
    const readsBefore = store.requests.get;

    // Act
    const result = await clock.run(run.execute(key));

    // Assess
    expect(result.outcome).toBe("completed");
    expect(llm.calls).toBe(1);
    // The worker's first read, and the one after the refused copy of its claim.
    expect(store.requests.get - readsBefore).toBe(2);
  });

  it("failure record: the recorder knows it recorded the failure", async () => {
    // Prepare
    const { start, recordFailure, store } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    store.loseNextReply("transition");

    // Act
    const result = await recordFailure.execute({
      key,
      error: { code: "worker_failed", message: "crashed", retryable: false },
    });

    // Assess
    expect(result.recorded).toBe(true);
    expect(result.execution).toMatchObject({ status: "failed", error: { code: "worker_failed" } });
  });

  it("create: the caller's turn proceeds, dispatched at once by the start that created it", async () => {
    // Prepare
    const { start, dispatcher, store } = domain();
    const key = newKey();
    store.loseNextReply("createIfAbsent");

    // Act
    const result = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Assess
    expect(result.created).toBe(true);
    expect(result.execution.status).toBe("queued");
    expect(dispatcher.dispatched).toEqual([key]);
  });

  it("create: a repeat of the start is still a repeat and does not dispatch again", async () => {
    // Prepare
    const { start, dispatcher, store } = domain();
    const key = newKey();
    store.loseNextReply("createIfAbsent");
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Act
    const repeat = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Assess
    expect(repeat.created).toBe(false);
    expect(dispatcher.dispatched).toEqual([key]);
  });

  it("re-dispatch: the reader that moved dispatchedAt dispatches", async () => {
    // Prepare
    const { start, check, clock, dispatcher, store } = domain();
    dispatcher.failNext();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.lostDispatchAfterMs);
    store.loseNextReply("transition");

    // Act
    await check.execute({ key, waitBudgetMs: 0 });

    // Assess
    expect(dispatcher.dispatched).toEqual([key]);
  });
});

describe("a write the store fails transiently", () => {
  it("complete: retried with backoff and recorded, with one model call", async () => {
    // Prepare
    const { start, run, clock, store, llm } = domain({ script: [answer("We open at nine.", 2_000)] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const running = run.execute(key);
    await clock.advance(1_000);
    const answeredAt = clock.now() + 1_000;
    store.failNext("transition", 3);

    // Act
    const result = await clock.run(running);

    // Assess
    expect(result.outcome).toBe("completed");
    expect(llm.calls).toBe(1);
    expect(await store.get(key)).toMatchObject({ status: "completed", answer: "We open at nine." });
    expect(clock.now() - answeredAt).toBe(RESEND_FIRST_DELAY_MS * (1 + 2 + 4));
  });

  it("claim: sent again until it lands, and the model is called once", async () => {
    // Prepare
    const { start, run, clock, store, llm } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    store.failNext("transition", 2);

    // Act
    const result = await clock.run(run.execute(key));

    // Assess
    expect(result.outcome).toBe("completed");
    expect(llm.calls).toBe(1);
  });

  it("complete: gives up with store_unavailable once the deadline leaves no room for another try", async () => {
    // Prepare
    const { start, run, clock, store } = domain({ script: [answer("We open at nine.", 2_000)] });
    const key = newKey();
    const { execution } = await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const running = run.execute(key);
    await clock.advance(1_000);
    store.failNext("transition", 1_000);

    // Act
    const outcome = clock.run(running);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(clock.now()).toBeLessThanOrEqual(execution.deadlineAt);
    expect(clock.now()).toBeGreaterThan(execution.deadlineAt - RESEND_MAX_DELAY_MS);
    expect((await store.get(key))?.status).toBe("running");
  });
});
