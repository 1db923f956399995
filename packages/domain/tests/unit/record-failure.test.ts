import { describe, expect, it } from "vitest";
import { domain, newKey, policy, question } from "./domain-harness.ts";

const workerFailed = {
  code: "worker_failed" as const,
  message: "Lambda retries exhausted",
  retryable: false,
};

describe("RecordFailure", () => {
  it("fails a queued or running execution with the recorded error", async () => {
    // Prepare
    const { start, recordFailure, store } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    // Act
    const result = await recordFailure.execute({ key, error: workerFailed });

    // Assess
    expect(result.recorded).toBe(true);
    expect(await store.get(key)).toMatchObject({ status: "failed", error: workerFailed });
  });

  it("leaves a completed execution as it is", async () => {
    const { start, run, recordFailure, store, clock } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.run(run.execute(key));
    const before = await store.get(key);

    const result = await recordFailure.execute({ key, error: workerFailed });

    expect(result.recorded).toBe(false);
    expect(await store.get(key)).toEqual(before);
  });

  it("is a no-op for a redelivered record", async () => {
    const { start, recordFailure, store } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await recordFailure.execute({ key, error: workerFailed });
    const afterFirst = await store.get(key);

    const second = await recordFailure.execute({ key, error: { ...workerFailed, message: "again" } });

    expect(second.recorded).toBe(false);
    expect(await store.get(key)).toEqual(afterFirst);
  });

  it("wins over a concurrent claim by re-reading and trying again", async () => {
    const { start, run, recordFailure, store, clock } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });

    const [, recorded] = await clock.run(
      Promise.all([run.execute(key), recordFailure.execute({ key, error: workerFailed })]),
    );

    expect(recorded.recorded).toBe(true);
    expect(await store.get(key)).toMatchObject({ status: "failed", error: workerFailed });
  });

  it("records the failure even after the deadline, keeping the caller's error specific", async () => {
    const { start, recordFailure, clock, store } = domain();
    const key = newKey();
    await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await clock.advance(policy.deadlineMs + 1);

    await recordFailure.execute({ key, error: workerFailed });

    expect(await store.get(key)).toMatchObject({ error: { code: "worker_failed" } });
  });

  it("reports an unknown execution as not recorded", async () => {
    const { recordFailure } = domain();

    expect(await recordFailure.execute({ key: newKey(), error: workerFailed })).toEqual({
      execution: undefined,
      recorded: false,
    });
  });
});
