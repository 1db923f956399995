import { describe, expect, it } from "vitest";
import { appendParts, claim, type ExecutionKey, newWriterToken } from "../../src/execution/execution.ts";
import { answer, stream } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";
import { ANSWER, PARTS, PROGRESSIVE, streamed } from "./progressive-harness.ts";

const LEASE_MS = PROGRESSIVE.leaseMs ?? policy.leaseMs;

/** A worker claimed the turn, recorded its first part and died (the start's own dispatch was lost). */
async function diedAfterPart(harness: ReturnType<typeof domain>, key: ExecutionKey, by = "dead") {
  const { start, store, clock, dispatcher } = harness;
  dispatcher.failNext();
  const { execution } = await start.execute({ key, input: question(), fastPathWaitMs: 0 });
  const claimed = await store.transition(
    claim(execution, { now: clock.now(), leaseMs: LEASE_MS, maxAttempts: 2, by }),
    execution,
  );
  return store.transition(appendParts(claimed, { parts: [PARTS[0] ?? ""], now: clock.now(), by }), claimed);
}

describe("progressive answers: a reader with a cursor", () => {
  it("is answered as soon as the first part is recorded, within a poll interval", async () => {
    // Prepare
    const { start, check, clock, workers } = domain({
      script: [streamed()],
      policy: PROGRESSIVE,
      inlineWorker: true,
    });
    const key = newKey();
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));
    const calledAt = clock.now();

    // Act
    const seen = await clock.run(check.execute({ key, waitBudgetMs: 2_600, cursor: 0 }));
    await clock.run(Promise.all(workers));

    // Assess
    expect(seen).toMatchObject({ status: "running", parts: [PARTS[0]] });
    expect(clock.now() - calledAt).toBeGreaterThan(0);
    expect(seen.updatedAt - calledAt).toBeLessThanOrEqual(800 + policy.pollIntervalMs);
  });

  it("with cursor 1 waits for part 2, and with cursor 3 for the end", async () => {
    // Prepare
    const { start, check, clock } = domain({ script: [streamed()], policy: PROGRESSIVE, inlineWorker: true });
    const key = newKey();
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));
    const calledAt = clock.now();

    // Act
    const second = await clock.run(check.execute({ key, waitBudgetMs: 2_600, cursor: 1 }));
    const secondAt = clock.now() - calledAt;
    const last = await clock.run(check.execute({ key, waitBudgetMs: 2_600, cursor: 3 }));

    // Assess
    expect(second.parts).toEqual(PARTS.slice(0, 2));
    expect(secondAt).toBeGreaterThanOrEqual(2_000);
    expect(secondAt).toBeLessThanOrEqual(2_000 + policy.pollIntervalMs);
    expect(last).toMatchObject({ status: "completed", answer: ANSWER, parts: PARTS });
  });

  it("without a cursor waits for the whole answer, as before", async () => {
    const { start, check, clock } = domain({ script: [streamed()], policy: PROGRESSIVE, inlineWorker: true });
    const key = newKey();
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));

    const seen = await clock.run(check.execute({ key, waitBudgetMs: 2_600 }));

    expect(seen.status).toBe("running");
    expect(seen.parts).toEqual(PARTS.slice(0, 2));
  });

  it("is answered by the start's fast path with the first part when the command is progressive", async () => {
    // Prepare
    const { start, clock } = domain({ script: [streamed()], policy: PROGRESSIVE, inlineWorker: true });
    const [progressive, plain] = [newKey(), newKey()];

    // Act
    const first = await clock.run(
      start.execute({ key: progressive, input: question(), fastPathWaitMs: 2_000, progressive: true }),
    );
    const firstAt = clock.now() - first.execution.createdAt;
    const whole = await clock.run(start.execute({ key: plain, input: question(), fastPathWaitMs: 2_000 }));

    // Assess
    expect(first.execution).toMatchObject({ status: "running", parts: [PARTS[0]] });
    expect(firstAt).toBeLessThanOrEqual(800 + policy.pollIntervalMs);
    expect(clock.now() - whole.execution.createdAt).toBe(2_000);
  });
});

describe("progressive answers: the turn after the caller heard its beginning", () => {
  it("completes when the caller hangs up after part 1: generation goes on and the whole answer is stored", async () => {
    // Prepare
    const { start, clock, store, workers, llm } = domain({
      script: [streamed()],
      policy: PROGRESSIVE,
      inlineWorker: true,
    });
    const key = newKey();
    const heard = await clock.run(
      start.execute({ key, input: question(), fastPathWaitMs: 2_000, progressive: true }),
    );

    // Act: nobody reads the turn again.
    await clock.run(Promise.all(workers));

    // Assess
    expect(heard.execution.parts).toEqual([PARTS[0]]);
    expect(await store.get(key)).toMatchObject({ status: "completed", answer: ANSWER, parts: PARTS });
    expect(llm.calls).toBe(1);
  });

  it("gives the next turn's model the whole first answer as history", async () => {
    // Prepare
    const { start, run, clock, llm } = domain({
      script: (_, call) => (call === 0 ? streamed() : answer("You are welcome.", 500)),
      policy: PROGRESSIVE,
    });
    const first = newKey(1);
    const second = { ...first, turn: 2 };
    await start.execute({ key: first, input: question(), fastPathWaitMs: 0 });
    await clock.run(run.execute(first));

    // Act
    await start.execute({ key: second, input: question("Thank you."), fastPathWaitMs: 0 });
    await clock.run(run.execute(second));

    // Assess
    expect(llm.requests[1]?.history).toEqual([{ question: "What time do you open?", answer: ANSWER }]);
  });

  it("is not attempted again once an attempt that recorded parts stops: it fails attempt_stopped", async () => {
    // Prepare
    const harness = domain({ policy: PROGRESSIVE, inlineWorker: true });
    const { check, clock, dispatcher, events, llm } = harness;
    const key = newKey();
    const died = await diedAfterPart(harness, key);

    // Act
    const checked = await clock.run(check.execute({ key, waitBudgetMs: LEASE_MS + 1_000, cursor: 1 }));

    // Assess
    expect(checked).toMatchObject({ status: "failed", error: { code: "worker_failed" }, parts: [PARTS[0]] });
    expect((checked.finishedAt ?? 0) - (died.leaseUntil ?? 0)).toBeLessThanOrEqual(policy.pollIntervalMs);
    expect(dispatcher.dispatched).toEqual([]);
    expect(llm.calls).toBe(0);
    expect(events.of("attempt_stopped")).toEqual([{ kind: "attempt_stopped", key, attempt: 1 }]);
  });

  it("is failed, not claimed, by a delivery that comes after such an attempt's lease", async () => {
    const harness = domain({ policy: PROGRESSIVE });
    const key = newKey();
    await diedAfterPart(harness, key);
    await harness.clock.advance(LEASE_MS);

    const result = await harness.clock.run(harness.run.execute(key));

    expect(result).toMatchObject({ outcome: "failed", execution: { status: "failed", attempt: 1 } });
    expect(result.execution?.error?.code).toBe("worker_failed");
    expect(harness.llm.calls).toBe(0);
  });

  it("is failed at once by a failure record naming the invocation that recorded parts, attempts or not", async () => {
    const harness = domain({ policy: PROGRESSIVE });
    const key = newKey();
    await diedAfterPart(harness, key, newWriterToken("req-1"));

    const result = await harness.recordFailure.execute({
      key,
      error: { code: "worker_failed", message: "Runtime.ExitError", retryable: false },
      invocationId: "req-1",
    });

    expect(result).toMatchObject({ recorded: true, execution: { status: "failed", parts: [PARTS[0]] } });
  });

  it("lets a second attempt answer after a crash before any part was recorded", async () => {
    // The same crash, one part earlier: nothing was heard, so a new attempt may answer.
    const harness = domain({
      script: [stream([[100, "second try."]], 200)],
      policy: PROGRESSIVE,
      inlineWorker: true,
    });
    const { start, store, clock, dispatcher, check, workers } = harness;
    const key = newKey();
    dispatcher.failNext();
    const { execution } = await start.execute({ key, input: question(), fastPathWaitMs: 0 });
    await store.transition(
      claim(execution, { now: clock.now(), leaseMs: LEASE_MS, maxAttempts: 2 }),
      execution,
    );

    const checked = await clock.run(check.execute({ key, waitBudgetMs: LEASE_MS + 2_000 }));
    await clock.run(Promise.all(workers));

    expect(checked).toMatchObject({ status: "completed", attempt: 2, parts: ["second try."] });
  });
});
