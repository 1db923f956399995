import { describe, expect, it } from "vitest";
import { DispatchError } from "../../src/errors.ts";
import { claim } from "../../src/execution/execution.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";

const FOR_GOOD = false;

describe("a dispatch refused for good (missing function, denied access, invalid request)", () => {
  it("fails the execution dispatch_failed at once, on the start that created it", async () => {
    // Prepare
    const { start, clock, dispatcher, store } = domain();
    dispatcher.failNext(1, FOR_GOOD);
    const key = newKey();

    // Act
    const result = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 3_000 }));

    // Assess
    expect(result.execution).toMatchObject({
      status: "failed",
      error: { code: "dispatch_failed", retryable: false },
    });
    expect(result.execution.finishedAt).toBe(result.execution.createdAt);
    expect(await store.get(key)).toEqual(result.execution);
  });

  it("fails the execution at once when the status path's re-dispatch is refused for good", async () => {
    // Prepare
    const { start, check, clock, dispatcher } = domain();
    dispatcher.failNext();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.lostDispatchAfterMs);
    dispatcher.failNext(1, FOR_GOOD);

    // Act
    const checked = await clock.run(check.execute({ key, waitBudgetMs: 2_000 }));

    // Assess
    expect(checked).toMatchObject({ status: "failed", error: { code: "dispatch_failed" } });
    expect(clock.now()).toBe(checked.finishedAt);
  });

  it("leaves an execution that a worker claimed meanwhile to that worker", async () => {
    // Prepare
    const { start, check, clock, dispatcher, store } = domain();
    dispatcher.failNext();
    const key = newKey();
    const { execution } = await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.lostDispatchAfterMs);
    // The first dispatch reached a worker after all; it claims while the re-dispatch is being refused.
    dispatcher.dispatch = async () => {
      const queued = (await store.get(key)) ?? execution;
      await store.transition(claim(queued, { now: clock.now(), ...policy, by: "late-worker" }), queued);
      throw new DispatchError("AccessDeniedException (HTTP 403)", { retryable: false });
    };

    // Act
    const checked = await clock.run(check.execute({ key, waitBudgetMs: 0 }));

    // Assess
    expect(checked.status).toBe("running");
    expect((await store.get(key))?.lastWriter).toBe("late-worker");
  });
});

describe("a dispatch refused transiently (throttling, Lambda's faults, no answer)", () => {
  it("keeps the execution queued and dispatches it again after the lost-dispatch threshold", async () => {
    // Prepare
    const { start, check, clock, dispatcher, store } = domain();
    dispatcher.failNext(1);
    const key = newKey();
    const started = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Act
    const checked = await clock.run(check.execute({ key, waitBudgetMs: policy.lostDispatchAfterMs }));

    // Assess
    expect(started.execution.status).toBe("queued");
    expect(checked.status).toBe("queued");
    expect(dispatcher.dispatched).toEqual([key]);
    expect((await store.get(key))?.dispatchedAt).toBe(
      started.execution.createdAt + policy.lostDispatchAfterMs,
    );
  });
});
