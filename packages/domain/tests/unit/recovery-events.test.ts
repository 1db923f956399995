import { describe, expect, it } from "vitest";
import { claim } from "../../src/execution/execution.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";

// Issue 15 item 6: every recovery an operator must see is reported once, by the use case that made it.

describe("recovery events", () => {
  it("reports a create whose reply was lost and that was found landed", async () => {
    const { start, store, clock, events } = domain();
    store.loseNextReply("createIfAbsent");
    const key = newKey();

    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));

    expect(events.of("lost_reply_recovered")).toEqual([
      { kind: "lost_reply_recovered", key, write: "create" },
    ]);
  });

  it("reports a claim whose reply was lost and that was found landed", async () => {
    const { start, run, store, clock, events } = domain();
    const key = newKey();
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));
    store.loseNextReply("transition");

    const { outcome } = await clock.run(run.execute(key));

    expect(outcome).toBe("completed");
    expect(events.of("lost_reply_recovered")).toEqual([
      { kind: "lost_reply_recovered", key, write: "claim" },
    ]);
  });

  it("reports nothing when no write needed recovering", async () => {
    const { start, run, clock, events } = domain();
    const key = newKey();
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));

    await clock.run(run.execute(key));

    expect(events.reported).toEqual([]);
  });

  it("reports a dispatch refused for good once, with the refusal", async () => {
    const { start, dispatcher, clock, events } = domain();
    dispatcher.failNext(1, false);
    const key = newKey();

    const { execution } = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));

    expect(execution.status).toBe("failed");
    expect(events.of("dispatch_refused")).toEqual([
      { kind: "dispatch_refused", key, reason: expect.stringContaining("refused") },
    ]);
  });

  it("reports nothing for a transient dispatch failure", async () => {
    const { start, dispatcher, clock, events } = domain();
    dispatcher.failNext(1, true);

    await clock.run(start.execute({ key: newKey(), input: question(), fastPathWaitMs: 0 }));

    expect(events.reported).toEqual([]);
  });

  const crashedAttempt = async (maxAttempts: number) => {
    const harness = domain({ policy: { maxAttempts } });
    const { start, store, clock } = harness;
    const key = newKey();
    const { execution } = await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));
    // A worker claims it and dies: nobody renews the lease.
    await store.transition(
      claim(execution, { now: clock.now(), leaseMs: policy.leaseMs, maxAttempts, by: "crashed-worker" }),
      execution,
    );
    await clock.advance(policy.leaseMs + 1);
    return { ...harness, key };
  };

  it("reports a re-claim after a missed heartbeat, with the new attempt", async () => {
    const { check, clock, events, key } = await crashedAttempt(2);

    await clock.run(check.execute({ key, waitBudgetMs: 0 }));

    expect(events.of("reclaimed_after_lease")).toEqual([{ kind: "reclaimed_after_lease", key, attempt: 1 }]);
    expect(events.of("attempt_stopped")).toEqual([]);
  });

  it("reports an attempt stopped with none left, once", async () => {
    const { check, clock, events, key } = await crashedAttempt(1);

    const failed = await clock.run(check.execute({ key, waitBudgetMs: 0 }));
    await clock.run(check.execute({ key, waitBudgetMs: 0 }));

    expect(failed).toMatchObject({ status: "failed", error: { code: "worker_failed" } });
    expect(events.of("attempt_stopped")).toEqual([{ kind: "attempt_stopped", key, attempt: 1 }]);
  });
});
