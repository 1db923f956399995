import { describe, expect, it } from "vitest";
import { ExecutionNotFoundError } from "../../src/errors.ts";
import { answer } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";

describe("CheckExecution", () => {
  it("returns within one poll interval of the execution completing", async () => {
    // Prepare
    const { start, run, check, clock } = domain({ script: [answer("nine", 3_300)] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const worker = run.execute(key);

    // Act
    const seen = await clock.run(check.execute({ key, waitBudgetMs: 6_000 }));
    await clock.run(worker);

    // Assess
    expect(seen.status).toBe("completed");
    const completedAt = seen.finishedAt!;
    expect(clock.now() - completedAt).toBeLessThan(policy.pollIntervalMs);
  });

  it("returns the running execution when the wait budget is spent", async () => {
    const { start, run, check, clock } = domain({ script: [answer("nine", 30_000)] });
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    void run.execute(key);
    const before = clock.now();

    const seen = await clock.run(check.execute({ key, waitBudgetMs: 5_000 }));

    expect(seen.status).toBe("running");
    expect(clock.now() - before).toBe(5_000);
  });

  it("reads once with a zero budget", async () => {
    const { start, check, store } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    const readsBefore = store.requests.get;

    await check.execute({ key, waitBudgetMs: 0 });

    expect(store.requests.get - readsBefore).toBe(1);
  });

  it("fails an execution past its deadline with deadline_exceeded", async () => {
    // Prepare
    const { start, check, clock, store } = domain();
    const key = newKey();
    const { execution } = await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Act
    await clock.advance(policy.deadlineMs - 2_000);
    const seen = await clock.run(check.execute({ key, waitBudgetMs: 5_000 }));

    // Assess
    expect(seen).toMatchObject({ status: "failed", error: { code: "deadline_exceeded" } });
    expect(seen.finishedAt).toBeGreaterThanOrEqual(execution.deadlineAt);
    expect(seen.finishedAt! - execution.deadlineAt).toBeLessThan(policy.pollIntervalMs);
    expect(await store.get(key)).toEqual(seen);
  });

  it("lets only one of many concurrent checks fail the execution at its deadline", async () => {
    const { start, check, clock, store } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.deadlineMs);
    const writesBefore = store.requests.transition;

    const seen = await Promise.all(Array.from({ length: 5 }, () => check.execute({ key, waitBudgetMs: 0 })));

    expect(new Set(seen.map((execution) => execution.version)).size).toBe(1);
    expect(seen.every((execution) => execution.status === "failed")).toBe(true);
    // One winning write; the others lose their conditional write at most once each.
    expect((await store.get(key))?.version).toBe(2);
    expect(store.requests.transition - writesBefore).toBeLessThanOrEqual(5);
  });

  it("re-dispatches a queued execution whose dispatch got lost, and the work then completes", async () => {
    // Prepare
    const { start, check, clock, dispatcher, workers } = domain({
      script: [answer("nine", 1_000)],
      inlineWorker: true,
    });
    dispatcher.failNext();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Act
    const seen = await clock.run(check.execute({ key, waitBudgetMs: policy.lostDispatchAfterMs + 3_000 }));
    await clock.run(Promise.all(workers));

    // Assess
    expect(dispatcher.dispatched).toEqual([key]);
    expect(seen).toMatchObject({ status: "completed", answer: "nine" });
  });

  it("throws execution_not_found for a key never started", async () => {
    const { check } = domain();

    const missing = check.execute({ key: newKey(), waitBudgetMs: 1_000 });

    await expect(missing).rejects.toBeInstanceOf(ExecutionNotFoundError);
    await expect(missing).rejects.toMatchObject({ code: "execution_not_found" });
  });
});
