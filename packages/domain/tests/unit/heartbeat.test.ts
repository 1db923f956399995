import { describe, expect, it } from "vitest";
import { claim, type ExecutionKey, newWriterToken } from "../../src/execution/execution.ts";
import type { ExecutionPolicy } from "../../src/execution/execution-policy.ts";
import { answer, hang } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";

/** The budget's shape: a short lease the running attempt renews, two attempts, room for a second one. */
const HEARTBEAT: Partial<ExecutionPolicy> = {
  leaseMs: 5_000,
  heartbeatMs: 2_000,
  maxAttempts: 2,
  attemptRoomMs: 10_000,
};

/**
 * A worker claimed the execution and then died: its claim is in the store, and nothing renews it. (The
 * start's own dispatch is lost, so no worker of the harness runs it first.)
 */
async function crashedAfterClaim(harness: ReturnType<typeof domain>, key: ExecutionKey, by = "dead") {
  const { start, store, clock, dispatcher } = harness;
  dispatcher.failNext();
  const { execution } = await start.execute({ key, input: question(), fastPathWaitMs: 0 });
  const leaseMs = HEARTBEAT.leaseMs ?? policy.leaseMs;
  return store.transition(claim(execution, { now: clock.now(), leaseMs, maxAttempts: 2, by }), execution);
}

describe("the running attempt's heartbeat", () => {
  it("renews the lease while the model works, so a 20 s answer is never taken for a crash", async () => {
    // Prepare
    const { start, check, clock, llm, workers } = domain({
      script: [answer("We open at nine.", 20_000)],
      policy: HEARTBEAT,
      inlineWorker: true,
    });
    const key = newKey();

    // Act
    const started = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));
    const checked = await clock.run(check.execute({ key, waitBudgetMs: 30_000 }));
    await Promise.all(workers);

    // Assess
    expect(checked).toMatchObject({ status: "completed", attempt: 1 });
    expect(llm.calls).toBe(1);
    expect(checked.finishedAt).toBe(started.execution.createdAt + 20_000);
    // One claim, a renewal every 2 s before the answer at 20 s (9), one completion.
    expect(checked.version).toBe(started.execution.version + 1 + 9 + 1);
  });

  it("keeps the lease through a renewal the store could not take", async () => {
    // Prepare
    const { start, run, check, clock, store, llm } = domain({
      script: [answer("We open at nine.", 9_000)],
      policy: HEARTBEAT,
    });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const running = run.execute(key);
    await clock.advance(1_000);
    store.failNext("transition", 1);

    // Act
    const checked = clock.run(check.execute({ key, waitBudgetMs: 8_500 }));
    const result = await clock.run(running);

    // Assess
    expect(result.outcome).toBe("completed");
    expect((await checked).status).toBe("completed");
    expect(llm.calls).toBe(1);
  });
});

describe("a crashed attempt (its lease not renewed)", () => {
  it("is followed by a second attempt within the lease, which answers", async () => {
    // Prepare
    const harness = domain({ script: [answer("second try", 3_000)], policy: HEARTBEAT, inlineWorker: true });
    const { check, clock, llm, dispatcher, workers } = harness;
    const key = newKey();
    const crashed = await crashedAfterClaim(harness, key);

    // Act
    const checked = await clock.run(check.execute({ key, waitBudgetMs: 10_000 }));
    await Promise.all(workers);

    // Assess
    expect(dispatcher.dispatched).toEqual([key]);
    expect(checked).toMatchObject({ status: "completed", attempt: 2, answer: "second try" });
    expect(checked.startedAt).toBe(crashed.startedAt);
    expect(llm.requests).toHaveLength(1);
    const redispatchedAt = (checked.finishedAt ?? 0) - 3_000;
    expect(redispatchedAt - (crashed.leaseUntil ?? 0)).toBeLessThanOrEqual(policy.pollIntervalMs);
  });

  it("fails worker_failed as soon as the lease is over when no attempt is left", async () => {
    // Prepare
    const harness = domain({ policy: { ...HEARTBEAT, maxAttempts: 1 } });
    const { check, clock } = harness;
    const key = newKey();
    const crashed = await crashedAfterClaim(harness, key);

    // Act
    const checked = await clock.run(check.execute({ key, waitBudgetMs: 10_000 }));

    // Assess
    expect(checked).toMatchObject({ status: "failed", error: { code: "worker_failed" } });
    expect((checked.finishedAt ?? 0) - (crashed.leaseUntil ?? 0)).toBeLessThanOrEqual(policy.pollIntervalMs);
  });

  it("fails at once instead of a second attempt when the deadline leaves too little room", async () => {
    // Prepare
    const harness = domain({ policy: HEARTBEAT });
    const { check, clock, dispatcher } = harness;
    const key = newKey();
    const { execution } = await harness.start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.deadlineMs - 12_000);
    await harness.store.transition(
      claim(execution, { now: clock.now(), leaseMs: 5_000, maxAttempts: 2, by: "dead" }),
      execution,
    );

    // Act
    const checked = await clock.run(check.execute({ key, waitBudgetMs: 10_000 }));

    // Assess
    expect(checked).toMatchObject({ status: "failed", error: { code: "worker_failed" } });
    expect(dispatcher.dispatched).toEqual([key]);
  });

  it("is dispatched again once per lease, by one of many readers", async () => {
    // Prepare
    const harness = domain({ policy: HEARTBEAT });
    const { check, clock, dispatcher } = harness;
    const key = newKey();
    await crashedAfterClaim(harness, key);
    await clock.advance(HEARTBEAT.leaseMs ?? 0);

    // Act
    await clock.run(Promise.all(Array.from({ length: 5 }, () => check.execute({ key, waitBudgetMs: 0 }))));
    await clock.run(check.execute({ key, waitBudgetMs: 1_000 }));

    // Assess
    expect(dispatcher.dispatched).toEqual([key]);
  });
});

describe("an attempt that lost its lease", () => {
  it("aborts its model call when a second attempt took over: one model call per attempt, two in all", async () => {
    // Prepare: the first attempt's renewals (and their quick retries) fail until its lease is over, and a
    // reader dispatches a second.
    const { start, run, check, clock, store, llm, dispatcher, workers } = domain({
      script: (_, call) => (call === 0 ? hang() : answer("second try", 3_000)),
      policy: HEARTBEAT,
      inlineWorker: true,
    });
    const key = newKey();
    dispatcher.failNext();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const first = run.execute(key);
    await clock.advance(1);
    store.failNext("transition", 1_000);
    void clock.sleep(HEARTBEAT.leaseMs ?? 0).then(() => store.stopFailing("transition"));

    // Act
    const checked = await clock.run(check.execute({ key, waitBudgetMs: 12_000 }));
    const firstResult = await clock.run(first);
    await Promise.all(workers);

    // Assess
    expect(firstResult.outcome).toBe("skipped");
    expect(checked).toMatchObject({ status: "completed", attempt: 2, answer: "second try" });
    expect(llm.calls).toBe(2);
  });
});

describe("a failure record with a renewed lease", () => {
  it("is left to the lease while it runs: the attempt may be alive", async () => {
    // Prepare
    const harness = domain({ policy: HEARTBEAT });
    const key = newKey();
    await crashedAfterClaim(harness, key);

    // Act
    const result = await harness.recordFailure.execute({
      key,
      error: { code: "worker_failed", message: "Runtime.ExitError", retryable: false },
    });

    // Assess
    expect(result).toMatchObject({ recorded: false, deferred: true, execution: { status: "running" } });
  });

  it("is left to the next reader once the lease is over and another attempt may start", async () => {
    const harness = domain({ policy: HEARTBEAT });
    const key = newKey();
    await crashedAfterClaim(harness, key);
    await harness.clock.advance(HEARTBEAT.leaseMs ?? 0);

    const result = await harness.recordFailure.execute({
      key,
      error: { code: "worker_failed", message: "Runtime.ExitError", retryable: false },
    });

    expect(result).toMatchObject({ recorded: false, deferred: true });
  });

  it("fails the execution once the lease is over and no attempt is left", async () => {
    const harness = domain({ policy: { ...HEARTBEAT, maxAttempts: 1 } });
    const key = newKey();
    await crashedAfterClaim(harness, key);
    await harness.clock.advance(HEARTBEAT.leaseMs ?? 0);

    const result = await harness.recordFailure.execute({
      key,
      error: { code: "worker_failed", message: "Runtime.ExitError", retryable: false },
    });

    expect(result).toMatchObject({ recorded: true, execution: { status: "failed" } });
  });

  it("fails the execution at once when it names the invocation holding the last attempt", async () => {
    const harness = domain({ policy: { ...HEARTBEAT, maxAttempts: 1 } });
    const key = newKey();
    await crashedAfterClaim(harness, key, newWriterToken("req-1"));

    const result = await harness.recordFailure.execute({
      key,
      error: { code: "worker_failed", message: "Runtime.ExitError", retryable: false },
      invocationId: "req-1",
    });

    expect(result).toMatchObject({ recorded: true, execution: { status: "failed" } });
  });

  it("is left to the lease while it runs when it names another invocation (an earlier attempt's record)", async () => {
    const harness = domain({ policy: { ...HEARTBEAT, maxAttempts: 1 } });
    const key = newKey();
    await crashedAfterClaim(harness, key, newWriterToken("req-2"));

    const result = await harness.recordFailure.execute({
      key,
      error: { code: "worker_failed", message: "Runtime.ExitError", retryable: false },
      invocationId: "req-1",
    });

    expect(result).toMatchObject({ recorded: false, deferred: true });
  });
});

describe("a run given its invocation's id", () => {
  it("stamps its writes with a token the invocation's failure record can be matched against", async () => {
    const { start, run, clock, store } = domain({ script: [answer("nine", 10)], policy: HEARTBEAT });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    await clock.run(run.execute(key, { invocationId: "req-7" }));

    expect((await store.get(key))?.lastWriter).toMatch(/^req-7\/[0-9a-f-]{36}$/);
  });
});

describe("a renewal the store could not take", () => {
  it("is tried again within the lease, so one failed renewal does not let the lease lapse", async () => {
    // Prepare: a 20 s answer; the first renewal (at 2 s) fails after 2.5 s, at 4.5 s, as a store call that
    // times out does; the next beat would come at 6.5 s, after the 5 s lease.
    const { start, run, check, clock, store, llm, dispatcher } = domain({
      script: [answer("a slow answer", 20_000)],
      policy: HEARTBEAT,
    });
    const key = newKey();
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));
    const running = run.execute(key);
    await clock.advance(1);
    const claimedAt = clock.now() - 1;
    store.slowDown({ actAfterMs: 2_500 });
    store.failNext("transition", 1);
    void clock.sleep(3_600).then(() => store.restore());

    // Act: a reader looks when the first lease would have ended without the retry.
    await clock.advance((HEARTBEAT.leaseMs ?? 0) + 100 - 1);
    const seen = await clock.run(check.execute({ key, waitBudgetMs: 0 }));
    const result = await clock.run(running);

    // Assess
    expect(seen).toMatchObject({ status: "running", attempt: 1 });
    expect(seen.leaseUntil).toBeGreaterThan(claimedAt + (HEARTBEAT.leaseMs ?? 0));
    expect(dispatcher.dispatched).toHaveLength(1);
    expect(result.outcome).toBe("completed");
    expect(llm.calls).toBe(1);
  });
});
