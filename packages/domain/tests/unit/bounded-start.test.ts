import { describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/errors.ts";
import { newExecution } from "../../src/execution/execution.ts";
import { settleBy } from "../../src/use-cases/settle-by.ts";
import { answer } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, policy, question } from "./domain-harness.ts";

// Issue 15 item 3: a Connect-facing call answers by its time whatever the store does, and a create the
// store did not confirm by then cannot strand its turn.

describe("settleBy", () => {
  it("gives the work's value when it settles first", async () => {
    const { clock } = domain();
    const work = clock.sleep(100).then(() => "done");

    const result = await clock.run(settleBy(clock, clock.now() + 500, work));

    expect(result).toEqual({ settled: true, value: "done" });
  });

  it("stops waiting at the instant given, not later", async () => {
    const { clock } = domain();
    const calledAt = clock.now();

    const result = await clock.run(settleBy(clock, calledAt + 500, clock.sleep(3_000)));

    expect(result).toEqual({ settled: false });
    expect(clock.now() - calledAt).toBe(500);
  });

  it("throws a failure that comes first, and ignores one that comes after", async () => {
    const { clock } = domain();
    const early = clock.sleep(10).then(() => Promise.reject(new StoreUnavailableError("down")));
    await expect(clock.run(settleBy(clock, clock.now() + 500, early))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );

    const late = clock.sleep(900).then(() => Promise.reject(new StoreUnavailableError("down")));
    await expect(clock.run(settleBy(clock, clock.now() + 500, late))).resolves.toEqual({ settled: false });
    await clock.advance(1_000); // the late failure settles with nobody listening, and nothing is unhandled
  });
});

describe("StartExecution within its time", () => {
  it("answers store_unavailable by its time when the store is slow to confirm the create", async () => {
    // Prepare: every store call acts after 3 s, the handler has 2.1 s.
    const { start, store, clock } = domain();
    store.slowDown({ actAfterMs: 3_000 });
    const calledAt = clock.now();

    // Act
    const outcome = clock.run(start.execute({ key: newKey(), input: question(), fastPathWaitMs: 2_100 }));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(clock.now() - calledAt).toBe(2_100);
  });

  it("hands an unconfirmed start over to be ended, and reports it", async () => {
    // Prepare
    const { start, store, clock, dispatcher, events } = domain();
    store.slowDown({ actAfterMs: 3_000 });
    const key = newKey();

    // Act
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 2_100 })).catch(() => undefined);

    // Assess
    expect(dispatcher.dispatched).toEqual([]);
    expect(dispatcher.abandoned).toEqual([
      expect.objectContaining({ key, input: question(), writer: expect.any(String) }),
    ]);
    expect(events.of("start_abandoned")).toEqual([{ kind: "start_abandoned", key }]);
  });

  it("leaves an unconfirmed create alone when another invocation takes the turn over", async () => {
    // Prepare: connect-start registering for connect-answer (native-async with progressive answers): the store
    // is slow, and connect-answer will register the turn itself if it does not find it.
    const { start, store, clock, dispatcher, events } = domain();
    store.slowDown({ actAfterMs: 3_000 });
    const calledAt = clock.now();

    // Act
    const outcome = clock.run(
      start.execute({
        key: newKey(),
        input: question(),
        fastPathWaitMs: 0,
        respondWithinMs: 300,
        abandonUnconfirmed: false,
      }),
    );

    // Assess: by its time, and nothing handed over to be ended
    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(clock.now() - calledAt).toBe(300);
    expect(dispatcher.abandoned).toEqual([]);
    expect(events.of("start_abandoned")).toEqual([]);
  });

  it("leaves no turn queued when the abandoned create lands after the caller heard the error", async () => {
    // Prepare: the create lands at 3 s, after the handler answered at 2.1 s; the worker ends the turn.
    const { start, store, clock, workers, events } = domain({ inlineWorker: true });
    store.slowDown({ actAfterMs: 3_000 });
    const key = newKey();
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 2_100 })).catch(() => undefined);

    // Act
    await clock.advance(4_000);
    store.restore();
    await clock.run(Promise.all(workers));

    // Assess
    expect(await store.get(key)).toMatchObject({ status: "failed", error: { code: "store_unavailable" } });
    expect(events.of("start_abandon_settled").map((event) => event.how)).toEqual([
      expect.stringMatching(/^(fenced|failed_own_create)$/),
    ]);
  });

  it("answers in progress by its time when the create landed but the dispatch hangs", async () => {
    // Prepare
    const { start, clock, dispatcher } = domain();
    dispatcher.dispatch = () => clock.sleep(10_000);
    const calledAt = clock.now();

    // Act
    const { execution, created } = await clock.run(
      start.execute({ key: newKey(), input: question(), fastPathWaitMs: 2_100 }),
    );

    // Assess
    expect(created).toBe(true);
    expect(execution.status).toBe("queued");
    expect(clock.now() - calledAt).toBe(2_100);
  });

  it("answers in progress by its time when a read of the fast-path wait hangs", async () => {
    // Prepare: the create and dispatch are quick, then every reply takes 1.4 s.
    const { start, store, clock, dispatcher } = domain();
    const calledAt = clock.now();
    const dispatch = dispatcher.dispatch.bind(dispatcher);
    dispatcher.dispatch = async (key) => {
      await dispatch(key);
      store.slowDown({ replyAfterMs: 1_400 });
    };

    // Act
    const { execution } = await clock.run(
      start.execute({ key: newKey(), input: question(), fastPathWaitMs: 2_100 }),
    );

    // Assess
    expect(execution.status).toBe("queued");
    expect(clock.now() - calledAt).toBe(2_100);
  });

  it("re-sends the create for as long as a native-async invocation may wait, not just the fast path", async () => {
    // Prepare: the store is down for 10 s; connect-answer has 50 s.
    const { start, store, clock } = domain({ inlineWorker: true, script: [answer("Nine.", 1_000)] });
    store.failWith();
    void clock.sleep(10_000).then(() => store.restore());

    // Act
    const { execution, created } = await clock.run(
      start.execute({ key: newKey(), input: question(), fastPathWaitMs: 0, respondWithinMs: 50_000 }),
    );

    // Assess
    expect(created).toBe(true);
    expect(execution.status).toBe("queued");
  });

  it("stops re-sending the create when too little of the deadline is left for an attempt", async () => {
    // Prepare
    const { start, store, clock, dispatcher } = domain({ policy: { attemptRoomMs: 20_000 } });
    store.failWith();
    const calledAt = clock.now();

    // Act
    const outcome = clock.run(
      start.execute({ key: newKey(), input: question(), fastPathWaitMs: 0, respondWithinMs: 55_000 }),
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(clock.now() - calledAt).toBeLessThanOrEqual(policy.deadlineMs - 20_000);
    expect(dispatcher.abandoned).toHaveLength(1);
  });
});

describe("AbandonStart", () => {
  const abandoned = (key = newKey(), createdAt = Date.UTC(2026, 0, 1)) => ({
    key,
    writer: "connect-start/abandoned-writer",
    input: question(),
    createdAt,
    deadlineAt: createdAt + policy.deadlineMs,
  });
  const theCreate = (start: ReturnType<typeof abandoned>) =>
    newExecution({
      key: start.key,
      input: start.input,
      now: start.createdAt,
      deadlineMs: policy.deadlineMs,
      retentionSeconds: policy.retentionSeconds,
      by: start.writer,
    });

  it("fences a free key with a failed placeholder, so the late create finds it taken", async () => {
    // Prepare
    const { abandon, store, clock } = domain();
    const start = abandoned(newKey(), clock.now());

    // Act
    const outcome = await clock.run(abandon.execute(start));
    const late = await store.createIfAbsent(theCreate(start));

    // Assess
    expect(outcome).toBe("fenced");
    expect(late.created).toBe(false);
    expect(await store.get(start.key)).toMatchObject({
      status: "failed",
      input: question(),
      error: { code: "store_unavailable" },
    });
  });

  it("fails the create when it landed first", async () => {
    // Prepare
    const { abandon, store, clock, events } = domain();
    const start = abandoned(newKey(), clock.now());
    await store.createIfAbsent(theCreate(start));

    // Act
    const outcome = await clock.run(abandon.execute(start));

    // Assess
    expect(outcome).toBe("failed_own_create");
    expect(await store.get(start.key)).toMatchObject({ status: "failed", version: 2 });
    expect(events.of("start_abandon_settled")).toEqual([
      { kind: "start_abandon_settled", key: start.key, how: "failed_own_create" },
    ]);
  });

  it("leaves a turn that another start registered to that start's handler", async () => {
    // Prepare
    const { abandon, start: startUseCase, store, clock } = domain();
    const start = abandoned(newKey(), clock.now());
    await clock.run(startUseCase.execute({ key: start.key, input: question(), fastPathWaitMs: 0 }));

    // Act
    const outcome = await clock.run(abandon.execute(start));

    // Assess
    expect(outcome).toBe("owned_elsewhere");
    expect(await store.get(start.key)).toMatchObject({ status: "queued" });
  });

  it("leaves a turn that already ended", async () => {
    // Prepare
    const { abandon, store, clock } = domain();
    const start = abandoned(newKey(), clock.now());
    await clock.run(abandon.execute(start));

    // Act
    const again = await clock.run(abandon.execute(start));

    // Assess
    expect(again).toBe("already_ended");
    expect(store.requests.transition).toBe(0);
  });

  it("keeps trying while the store is unavailable, until it lands", async () => {
    // Prepare
    const { abandon, store, clock } = domain();
    const start = abandoned(newKey(), clock.now());
    store.failWith();
    void clock.sleep(20_000).then(() => store.restore());

    // Act
    const outcome = await clock.run(abandon.execute(start));

    // Assess
    expect(outcome).toBe("fenced");
    expect(store.requests.createIfAbsent).toBeGreaterThan(2);
  });

  it("throws store_unavailable once the turn's deadline has passed", async () => {
    // Prepare
    const { abandon, store, clock } = domain();
    const start = abandoned(newKey(), clock.now());
    store.failWith();

    // Act
    const outcome = clock.run(abandon.execute(start));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(clock.now()).toBeLessThanOrEqual(start.deadlineAt);
  });
});

describe("long-poll under a slow store", () => {
  it("reads no more often than the store answers", async () => {
    // Prepare: every reply takes 1 s; the poll interval is 500 ms.
    const { start, check, store, clock } = domain();
    const key = newKey();
    await clock.run(start.execute({ key, input: question(), fastPathWaitMs: 0 }));
    store.slowDown({ replyAfterMs: 1_000 });
    const readsBefore = store.requests.get;

    // Act: a 10 s wait.
    await clock.run(check.execute({ key, waitBudgetMs: 10_000 }));

    // Assess: a read every 2 s (1 s answering, then as long again), not every 1.5 s.
    expect(store.requests.get - readsBefore).toBeLessThanOrEqual(5);
  });
});
