import { describe, expect, it } from "vitest";
import { claim } from "../../src/execution/execution.ts";
import { answer, failure, hang, throttle } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";

describe("RunExecution", () => {
  it("claims, asks the model and stores the answer with its usage", async () => {
    // Prepare
    const { start, run, clock, store, llm } = domain({ script: [answer("We open at nine.", 2_000)] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Act
    const result = await clock.run(run.execute(key));

    // Assess
    expect(result.outcome).toBe("completed");
    expect(await store.get(key)).toMatchObject({
      status: "completed",
      answer: "We open at nine.",
      attempt: 1,
      finishedAt: clock.now(),
      usage: { latencyMs: 2_000 },
    });
    expect(llm.requests).toEqual([
      { question: "What time do you open?", locale: "en-US", history: [], deadlineAt: expect.any(Number) },
    ]);
  });

  it("makes exactly one model call for 5 concurrent deliveries of one execution", async () => {
    // Prepare
    const { start, run, clock, llm } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Act
    const results = await clock.run(Promise.all(Array.from({ length: 5 }, () => run.execute(key))));

    // Assess
    expect(llm.calls).toBe(1);
    expect(results.map((result) => result.outcome).sort()).toEqual([
      "completed",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
    ]);
  });

  it("makes no model call for a delivery of a finished execution", async () => {
    const { start, run, clock, llm } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.run(run.execute(key));

    const redelivery = await clock.run(run.execute(key));

    expect(redelivery.outcome).toBe("skipped");
    expect(llm.calls).toBe(1);
  });

  it("reports an unknown execution as not found without calling the model", async () => {
    const { run, llm } = domain();

    expect((await run.execute(newKey())).outcome).toBe("not_found");
    expect(llm.calls).toBe(0);
  });

  it("lets a second attempt claim once the first worker's lease expired", async () => {
    // Prepare
    const { start, run, clock, store, llm } = domain({ script: [answer("second try", 1_000)] });
    const key = newKey();
    const queued = (await start.execute({ key, input: question(), fastPathWaitMs: 0 })).execution;
    // A first worker claimed and then crashed: its claim is in the store, nothing else.
    await store.transition(
      claim(queued, { now: clock.now(), leaseMs: policy.leaseMs, maxAttempts: 2 }),
      queued,
    );
    await clock.advance(policy.leaseMs);

    // Act
    const result = await clock.run(run.execute(key));

    // Assess
    expect(result.outcome).toBe("completed");
    expect(await store.get(key)).toMatchObject({ status: "completed", attempt: 2 });
    expect(llm.calls).toBe(1);
  });

  it("makes one model call when two workers re-claim an expired lease at once", async () => {
    // Prepare
    const { start, run, clock, store, llm } = domain({ script: [answer("second try", 1_000)] });
    const key = newKey();
    const queued = (await start.execute({ key, input: question(), fastPathWaitMs: 0 })).execution;
    await store.transition(
      claim(queued, { now: clock.now(), leaseMs: policy.leaseMs, maxAttempts: 2 }),
      queued,
    );
    await clock.advance(policy.leaseMs);

    // Act
    const results = await clock.run(Promise.all([run.execute(key), run.execute(key)]));

    // Assess
    expect(llm.calls).toBe(1);
    expect(results.map((result) => result.outcome).sort()).toEqual(["completed", "skipped"]);
  });

  it("leaves a leased execution alone", async () => {
    const { start, run, clock, store, llm } = domain();
    const key = newKey();
    const queued = (await start.execute({ key, input: question(), fastPathWaitMs: 0 })).execution;
    await store.transition(
      claim(queued, { now: clock.now(), leaseMs: policy.leaseMs, maxAttempts: 2 }),
      queued,
    );
    await clock.advance(policy.leaseMs - 1);

    const result = await clock.run(run.execute(key));

    expect(result.outcome).toBe("skipped");
    expect(llm.calls).toBe(0);
  });

  it("fails the execution with attempts_exhausted when maxAttempts are used up", async () => {
    // Prepare
    const { start, run, clock, store, llm } = domain({ policy: { maxAttempts: 1 } });
    const key = newKey();
    const queued = (await start.execute({ key, input: question(), fastPathWaitMs: 0 })).execution;
    await store.transition(
      claim(queued, { now: clock.now(), leaseMs: policy.leaseMs, maxAttempts: 1 }),
      queued,
    );
    await clock.advance(policy.leaseMs);

    // Act
    const result = await clock.run(run.execute(key));

    // Assess
    expect(result.outcome).toBe("failed");
    expect(await store.get(key)).toMatchObject({ status: "failed", error: { code: "attempts_exhausted" } });
    expect(llm.calls).toBe(0);
  });

  it("aborts a model call at the deadline and fails with deadline_exceeded", async () => {
    // Prepare
    const { start, run, clock, store } = domain({ script: [hang()], policy: { leaseMs: 120_000 } });
    const key = newKey();
    const { execution } = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Act
    const result = await clock.run(run.execute(key));

    // Assess
    expect(result.outcome).toBe("failed");
    expect(clock.now()).toBe(execution.deadlineAt);
    expect(await store.get(key)).toMatchObject({ status: "failed", error: { code: "deadline_exceeded" } });
  });

  it("tells the model client when its signal will abort: the lease or the deadline, whichever is first", async () => {
    const { start, run, clock, llm } = domain({ script: [answer("nine", 10)] });
    const key = newKey();
    const { execution } = await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const claimedAt = clock.now();

    await clock.run(run.execute(key));

    expect(llm.requests[0]?.deadlineAt).toBe(Math.min(claimedAt + policy.leaseMs, execution.deadlineAt));
  });

  it("aborts a model call at the end of its lease and fails with timeout", async () => {
    const { start, run, clock, store } = domain({ script: [hang()] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const startedAt = clock.now();

    await clock.run(run.execute(key));

    expect(clock.now() - startedAt).toBe(policy.leaseMs);
    expect(await store.get(key)).toMatchObject({ status: "failed", error: { code: "timeout" } });
  });

  it("fails without calling the model when delivered after the deadline", async () => {
    const { start, run, clock, store, llm } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.deadlineMs);

    const result = await clock.run(run.execute(key));

    expect(result.outcome).toBe("failed");
    expect(llm.calls).toBe(0);
    expect(await store.get(key)).toMatchObject({ error: { code: "deadline_exceeded" } });
  });

  it.each([
    ["throttled", throttle(500), true],
    ["model_error", failure("model_error", 500), false],
    ["access_denied", failure("access_denied", 10), false],
  ] as const)("records a %s model failure with its code and retryability", async (code, step, retryable) => {
    const { start, run, clock, store } = domain({ script: [step] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    const result = await clock.run(run.execute(key));

    expect(result.outcome).toBe("failed");
    expect(await store.get(key)).toMatchObject({ status: "failed", error: { code, retryable } });
  });

  it("fails with empty_answer when the model returns only whitespace", async () => {
    const { start, run, clock, store } = domain({ script: [answer("   \n ", 100)] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    await clock.run(run.execute(key));

    expect(await store.get(key)).toMatchObject({ status: "failed", error: { code: "empty_answer" } });
  });

  it("keeps a failure recorded meanwhile instead of overwriting it with a late answer", async () => {
    // Prepare
    const { start, run, clock, store, recordFailure } = domain({ script: [answer("late", 5_000)] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const running = run.execute(key);
    await clock.advance(1_000);
    await recordFailure.execute({ key, error: { code: "worker_failed", message: "x", retryable: false } });

    // Act
    const result = await clock.run(running);

    // Assess
    expect(result.outcome).toBe("skipped");
    expect(await store.get(key)).toMatchObject({ status: "failed", error: { code: "worker_failed" } });
  });

  it("passes earlier completed turns to the model, oldest first and bounded", async () => {
    // Prepare
    const { start, run, clock, llm } = domain({ script: [answer("ok", 10)], policy: { historyTurns: 3 } });
    const contactId = "contact-history";
    for (const turn of [1, 2, 3, 4]) {
      await start.execute({ key: { contactId, turn }, input: question(`q${turn}`), fastPathWaitMs: 0 });
      await clock.run(run.execute({ contactId, turn }));
    }
    await start.execute({ key: { contactId, turn: 5 }, input: question("q5"), fastPathWaitMs: 0 });

    // Act
    await clock.run(run.execute({ contactId, turn: 5 }));

    // Assess
    expect(llm.requests.at(-1)?.history).toEqual([
      { question: "q2", answer: "ok" },
      { question: "q3", answer: "ok" },
      { question: "q4", answer: "ok" },
    ]);
  });

  it("leaves failed turns out of the history", async () => {
    const { start, run, clock, llm } = domain({
      script: [answer("one", 10), failure("model_error"), answer("three", 10)],
    });
    const contactId = "contact-failed-turn";
    for (const turn of [1, 2, 3]) {
      await start.execute({ key: { contactId, turn }, input: question(`q${turn}`), fastPathWaitMs: 0 });
      await clock.run(run.execute({ contactId, turn }));
    }

    expect(llm.requests.at(-1)?.history).toEqual([{ question: "q1", answer: "one" }]);
  });
});
