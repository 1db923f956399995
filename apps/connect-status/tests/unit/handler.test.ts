import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { loadFixtures } from "@holdline/adapters-connect/testing/fixtures";
import { appendParts, claim, type Execution, fail, newExecution } from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { RecordingDispatcher } from "@holdline/domain/testing/fakes/recording-dispatcher";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions", HOLDLINE_WORKER_FUNCTION: "answer-worker" });
const budget = budgetFrom(config);
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };
const statusEvent = (cursor?: string) =>
  connectEvent({ parameters: { turn: "1", ...(cursor === undefined ? {} : { cursor }) } });
const PARTS = ["はい、本日は営業しております。", "朝9時から夜7時までです。"];

function harness() {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const dispatcher = new RecordingDispatcher();
  const container = buildContainer(config, budget);
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(ExecutionStoreId).toConstantValue(store);
  container.rebind(WorkDispatcherId).toConstantValue(dispatcher);
  const handler = createHandler(dependenciesFrom(container, config, budget));
  const register = () =>
    store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "営業時間は？", locale: "ja-JP" },
        now: clock.now(),
        deadlineMs: budget.policy.deadlineMs,
        retentionSeconds: budget.policy.retentionSeconds,
      }),
    );
  /** A registered turn whose worker claimed it and recorded `parts` so far. */
  const running = async (parts: readonly string[]) => {
    const { execution } = await register();
    const claimed = await store.transition(
      claim(execution, { now: clock.now(), leaseMs: budget.policy.leaseMs, maxAttempts: 2, by: "worker" }),
      execution,
    );
    return parts.length === 0 ? claimed : appendTo(claimed, parts);
  };
  const appendTo = async (current: Execution, parts: readonly string[]) =>
    store.transition(appendParts(current, { parts, now: clock.now(), by: "worker/parts" }), current);
  return { clock, store, dispatcher, handler, register, running, appendTo };
}

describe("connect-status handler", () => {
  it("long-polls for the budget and answers in_progress while the work runs", async () => {
    // Prepare
    const { handler, clock, register } = harness();
    await register();
    const before = clock.now();

    // Act
    const response = await clock.run(handler(statusEvent()));

    // Assess
    expect(response).toMatchObject({ status: "in_progress", turn: "1", nextTurn: "2" });
    expect(clock.now() - before).toBe(budget.connectStatus.waitMs);
  });

  it("keeps the caller's silence under the configured gap", () => {
    expect(budget.connectStatus.waitMs + budget.choices.invocationOverheadMs).toBeLessThanOrEqual(
      budget.choices.maxSilenceMs,
    );
  });

  it("answers completed within one poll interval of the answer being stored", async () => {
    // Prepare
    const { handler, clock, store, register } = harness();
    const { execution } = await register();
    const polling = handler(statusEvent());
    await clock.advance(1_000);
    const running = await store.transition(
      { ...execution, status: "running", attempt: 1, version: 2, leaseUntil: clock.now() + 60_000 },
      execution,
    );
    await store.transition(
      { ...running, status: "completed", answer: "9時から19時です。", version: 3, finishedAt: clock.now() },
      running,
    );
    const storedAt = clock.now();

    // Act
    const response = await clock.run(polling);

    // Assess
    expect(response).toMatchObject({ status: "completed", answer: "9時から19時です。" });
    expect(clock.now() - storedAt).toBeLessThanOrEqual(budget.policy.pollIntervalMs);
  });

  it("answers error deadline_exceeded once the execution's deadline has passed", async () => {
    const { handler, clock, store, register } = harness();
    await register();
    await clock.advance(budget.policy.deadlineMs);

    const response = await clock.run(handler(statusEvent()));

    expect(response).toMatchObject({ status: "error", errorCode: "deadline_exceeded" });
    expect((await store.get(KEY))?.status).toBe("failed");
  });

  it("re-dispatches a queued execution whose dispatch got lost", async () => {
    const { handler, clock, dispatcher, register } = harness();
    await register();
    await clock.advance(budget.policy.lostDispatchAfterMs);

    await clock.run(handler(statusEvent()));

    expect(dispatcher.dispatched).toEqual([KEY]);
  });

  it("answers error execution_not_found for a turn that was never started", async () => {
    const { handler, clock } = harness();

    const response = await clock.run(handler(statusEvent()));

    expect(response).toMatchObject({ status: "error", errorCode: "execution_not_found", turn: "1" });
  });

  it("answers in_progress, not an error or a throw, when the store is down: start said the turn is registered", async () => {
    const { handler, clock, store } = harness();
    store.failWith();

    const response = await clock.run(handler(statusEvent()));

    expect(response).toMatchObject({ status: "in_progress", turn: "1" });
    expect(response).toMatchObject({ errorCode: "" });
  });

  it("answers in_progress within its wait when the store does not answer at all", async () => {
    const { handler, clock, store } = harness();
    store.slowDown({ actAfterMs: 60_000 });
    const calledAt = clock.now();

    const response = await clock.run(handler(statusEvent()));

    expect(response).toMatchObject({ status: "in_progress" });
    expect(clock.now() - calledAt).toBe(budget.connectStatus.waitMs);
  });

  describe("with the cursor of a progressive flow", () => {
    it("answers cursor 0 partial with the first part as soon as it is recorded", async () => {
      // Prepare
      const { handler, clock, running, appendTo } = harness();
      const claimed = await running([]);
      const polling = handler(statusEvent("0"));
      await clock.advance(800);
      await appendTo(claimed, PARTS.slice(0, 1));
      const recordedAt = clock.now();

      // Act
      const response = await clock.run(polling);

      // Assess
      expect(response).toMatchObject({ status: "partial", answer: PARTS[0], cursor: "1", errorPrompt: "" });
      expect(clock.now() - recordedAt).toBeLessThanOrEqual(budget.policy.pollIntervalMs);
    });

    it("answers cursor 1 only once part 2 is recorded", async () => {
      // Prepare
      const { handler, clock, running, appendTo } = harness();
      const withFirst = await running(PARTS.slice(0, 1));
      const calledAt = clock.now();
      const polling = handler(statusEvent("1"));
      await clock.advance(1_500);
      await appendTo(withFirst, PARTS.slice(1, 2));

      // Act
      const response = await clock.run(polling);

      // Assess
      expect(response).toMatchObject({ status: "partial", answer: PARTS[1], cursor: "2" });
      expect(clock.now() - calledAt).toBeGreaterThanOrEqual(1_500);
      expect(clock.now() - calledAt).toBeLessThan(budget.connectStatus.waitMs);
    });

    it("answers in_progress with the cursor unmoved when no part comes within the wait", async () => {
      const { handler, clock, running } = harness();
      await running(PARTS.slice(0, 1));

      const response = await clock.run(handler(statusEvent("1")));

      expect(response).toMatchObject({ status: "in_progress", answer: "", cursor: "1" });
    });

    it("answers an error after parts with the unheard parts and the short error prompt", async () => {
      // Prepare
      const { handler, clock, store, running } = harness();
      const withParts = await running(PARTS);
      await store.transition(
        fail(withParts, {
          now: clock.now(),
          error: { code: "model_error", message: "boom", retryable: false },
        }),
        withParts,
      );

      // Act
      const heardOne = await clock.run(handler(statusEvent("1")));
      const heardAll = await clock.run(handler(statusEvent("2")));

      // Assess
      expect(heardOne).toMatchObject({
        status: "error",
        errorCode: "model_error",
        errorPrompt: "short",
        answer: PARTS[1],
        cursor: "2",
      });
      expect(heardAll).toMatchObject({ status: "error", errorPrompt: "short", answer: "", cursor: "2" });
    });

    it("answers an error before any part with the full error prompt", async () => {
      const { handler, clock, store, running } = harness();
      const claimed = await running([]);
      await store.transition(
        fail(claimed, {
          now: clock.now(),
          error: { code: "model_error", message: "boom", retryable: false },
        }),
        claimed,
      );

      const response = await clock.run(handler(statusEvent("0")));

      expect(response).toMatchObject({ status: "error", errorPrompt: "full", answer: "", cursor: "0" });
    });

    it("answers in_progress with the cursor unmoved when the store is down", async () => {
      const { handler, clock, store } = harness();
      store.failWith();

      const response = await clock.run(handler(statusEvent("2")));

      expect(response).toMatchObject({ status: "in_progress", cursor: "2", errorCode: "" });
    });

    it("refuses a cursor that is not a count of parts with invalid_cursor", async () => {
      const { handler, clock } = harness();

      const response = await clock.run(handler(statusEvent("one")));

      expect(response).toMatchObject({ status: "error", errorCode: "invalid_cursor", turn: "1" });
    });
  });

  it.each(
    loadFixtures<{ errorCode: string }>("malformed")
      // The status path reads neither the question nor the locale.
      .filter(
        (fixture) =>
          !/question|locale/.test(fixture.name) &&
          !["missing_question", "question_too_long", "unsupported_locale"].includes(
            fixture.expected.errorCode,
          ),
      )
      .map((fixture) => [fixture.name, fixture] as const),
  )("refuses the malformed event %s with its code", async (_name, fixture) => {
    const { handler, clock } = harness();

    const response = await clock.run(handler(fixture.event));

    expect(response).toMatchObject({ status: "error", errorCode: fixture.expected.errorCode });
  });
});
