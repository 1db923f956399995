import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { loadFixtures } from "@holdline/adapters-connect/testing/fixtures";
import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { RecordingDispatcher } from "@holdline/domain/testing/fakes/recording-dispatcher";
import {
  answer,
  type LlmStep,
  ScriptedLlmClient,
  stream,
} from "@holdline/domain/testing/fakes/scripted-llm-client";
import { RunExecutionId } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";

const defaultConfig = loadConfig({
  HOLDLINE_TABLE_NAME: "executions",
  HOLDLINE_WORKER_FUNCTION: "answer-worker",
});
const registerConfig = loadConfig({
  HOLDLINE_TABLE_NAME: "executions",
  HOLDLINE_WORKER_FUNCTION: "answer-worker",
  HOLDLINE_START_ROLE: "register",
});
const budget = budgetFrom(defaultConfig);
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };

/** The production container with every port rebound to a fake; optionally a worker that answers in-process. */
function harness({
  modelLatencyMs,
  step,
  config = defaultConfig,
}: {
  modelLatencyMs?: number;
  step?: LlmStep;
  config?: typeof defaultConfig;
} = {}) {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const llm = new ScriptedLlmClient(clock, [
    step ?? answer("朝9時から夜7時まで営業しています。", modelLatencyMs ?? 0),
  ]);
  const container = buildContainer(config, budget);
  const workers: Promise<unknown>[] = [];
  const dispatcher = new RecordingDispatcher(
    modelLatencyMs === undefined && step === undefined
      ? undefined
      : (key) => void workers.push(container.get(RunExecutionId).execute(key)),
  );
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(ExecutionStoreId).toConstantValue(store);
  container.rebind(WorkDispatcherId).toConstantValue(dispatcher);
  container.bind(LlmClientId).toConstantValue(llm);
  const handler = createHandler(dependenciesFrom(container, config, budget));
  return { clock, store, dispatcher, llm, handler, workers };
}

describe("connect-start handler", () => {
  it("registers the question, dispatches the worker once and answers in_progress", async () => {
    // Prepare
    const { handler, clock, store, dispatcher } = harness();

    // Act
    const response = await clock.run(handler(connectEvent()));

    // Assess
    expect(response).toEqual({
      status: "in_progress",
      answer: "",
      errorCode: "",
      cursor: "",
      answerParts: "",
      errorPrompt: "",
      turn: "1",
      nextTurn: "2",
    });
    expect(await store.get(KEY)).toMatchObject({
      status: "queued",
      input: { question: "営業時間を教えてください。" },
    });
    expect(dispatcher.dispatched).toEqual([KEY]);
  });

  it("waits at most the budget's fast-path wait before answering in_progress", async () => {
    const { handler, clock } = harness();
    const before = clock.now();

    await clock.run(handler(connectEvent()));

    expect(clock.now() - before).toBe(budget.connectStart.waitMs);
  });

  it("returns a fast answer directly, with no polling needed", async () => {
    const { handler, clock } = harness({ modelLatencyMs: 1_200 });

    const response = await clock.run(handler(connectEvent()));

    expect(response).toMatchObject({
      status: "completed",
      answer: "朝9時から夜7時まで営業しています。",
      turn: "1",
    });
  });

  it("answers a progressive flow partial with the first part as soon as it is ready within the wait", async () => {
    // Prepare: the model writes its first sentence at 0.8 s and the rest until 6 s.
    const { handler, clock, store, workers } = harness({
      step: stream(
        [
          [800, "はい、本日は営業しております。"],
          [3_000, "朝9時から夜7時までです。"],
        ],
        6_000,
      ),
    });
    const event = connectEvent({
      parameters: { question: "営業時間を教えてください。", turn: "1", locale: "ja-JP", cursor: "" },
    });
    const before = clock.now();

    // Act
    const response = await clock.run(handler(event));
    const answeredAt = clock.now() - before;
    await clock.run(Promise.all(workers));

    // Assess
    expect(response).toMatchObject({
      status: "partial",
      answer: "はい、本日は営業しております。",
      cursor: "1",
      errorPrompt: "",
    });
    expect(answeredAt).toBeLessThanOrEqual(800 + budget.policy.pollIntervalMs);
    expect(await store.get(KEY)).toMatchObject({
      status: "completed",
      answer: "はい、本日は営業しております。朝9時から夜7時までです。",
    });
  });

  it("answers a flow that sends no cursor only with the whole answer, as before", async () => {
    const { handler, clock } = harness({
      step: stream([[800, "はい、本日は営業しております。"]], 6_000),
    });
    const before = clock.now();

    const response = await clock.run(handler(connectEvent()));

    expect(response).toMatchObject({ status: "in_progress", answer: "", cursor: "" });
    expect(clock.now() - before).toBe(budget.connectStart.waitMs);
  });

  it("turns Connect retrying the same event three times into one execution and one dispatch", async () => {
    // Prepare
    const { handler, clock, store, dispatcher } = harness();
    const event = connectEvent();

    // Act
    const responses = await clock.run(Promise.all([handler(event), handler(event), handler(event)]));

    // Assess
    expect(responses.map((response) => response.status)).toEqual([
      "in_progress",
      "in_progress",
      "in_progress",
    ]);
    expect(dispatcher.dispatched).toHaveLength(1);
    expect(store.requests.createIfAbsent).toBe(3);
    expect((await store.get(KEY))?.version).toBe(1);
  });

  it("cuts the fast-path wait to what the invocation has left", async () => {
    const { handler, clock } = harness();
    const before = clock.now();

    const response = await clock.run(handler(connectEvent(), { getRemainingTimeInMillis: () => 3_000 }));

    expect(response.status).toBe("in_progress");
    expect(clock.now() - before).toBe(0);
  });

  it("answers error store_unavailable instead of throwing when the store is down", async () => {
    const { handler, clock, store } = harness();
    store.failWith();

    const response = await clock.run(handler(connectEvent()));

    expect(response).toEqual({
      status: "error",
      answer: "",
      errorCode: "store_unavailable",
      cursor: "",
      answerParts: "",
      errorPrompt: "full",
      turn: "1",
      nextTurn: "2",
    });
  });

  it("answers in_progress when the dispatch fails, leaving the work for the status path", async () => {
    const { handler, clock, store, dispatcher } = harness();
    dispatcher.failNext();

    const response = await clock.run(handler(connectEvent()));

    expect(response.status).toBe("in_progress");
    expect((await store.get(KEY))?.status).toBe("queued");
  });

  it("answers error dispatch_failed at once when the dispatch is refused for good", async () => {
    const { handler, clock, store, dispatcher } = harness();
    dispatcher.failNext(1, false);
    const before = clock.now();

    const response = await clock.run(handler(connectEvent()));

    expect(response).toMatchObject({ status: "error", errorCode: "dispatch_failed" });
    expect(clock.now()).toBe(before);
    expect((await store.get(KEY))?.status).toBe("failed");
  });

  it("answers error idempotency_conflict for a different question under the same turn", async () => {
    const { handler, clock } = harness();
    await clock.run(handler(connectEvent()));

    const response = await clock.run(
      handler(connectEvent({ parameters: { question: "予約はできますか？", turn: "1", locale: "ja-JP" } })),
    );

    expect(response).toMatchObject({ status: "error", errorCode: "idempotency_conflict" });
  });

  describe("malformed and hostile events", () => {
    const corpus = loadFixtures<{ status: string; errorCode: string }>("malformed");

    it("has at least 30 fixtures", () => {
      expect(corpus.length).toBeGreaterThanOrEqual(30);
    });

    it.each(corpus.map((fixture) => [fixture.name, fixture] as const))("%s", async (_name, fixture) => {
      const { handler, clock, dispatcher } = harness();

      const response = await clock.run(handler(fixture.event));

      expect(response).toMatchObject({ status: "error", errorCode: fixture.expected.errorCode });
      expect(Object.values(response).every((value) => typeof value === "string")).toBe(true);
      expect(dispatcher.dispatched).toHaveLength(0);
    });
  });
});

describe("connect-start handler, register role (native-async with progressive answers)", () => {
  it("registers and dispatches, then answers at once without waiting for a fast answer", async () => {
    // Prepare: the worker would have the whole answer 500 ms later
    const { handler, clock, store, dispatcher } = harness({ modelLatencyMs: 500, config: registerConfig });
    const before = clock.now();

    // Act
    const response = await clock.run(
      handler(
        connectEvent({
          parameters: { question: "営業時間を教えてください。", turn: "1", locale: "ja-JP", cursor: "0" },
        }),
      ),
    );

    // Assess: nothing waited for; the turn is connect-answer's progressive turn, with its deadline
    expect(clock.now() - before).toBe(0);
    expect(response.status).toBe("in_progress");
    expect(dispatcher.dispatched).toEqual([KEY]);
    const turn = await store.get(KEY);
    expect(turn?.deadlineAt).toBe(before + budget.connectAnswer.progressive.deadlineMs);
    expect(budget.connectAnswer.progressive.deadlineMs).not.toBe(budget.policy.deadlineMs);
  });

  it("answers by its register time when the store is slow, and leaves the turn to connect-answer", async () => {
    // Prepare: every store call acts after 3 s
    const { handler, clock, store, dispatcher } = harness({ config: registerConfig });
    store.slowDown({ actAfterMs: 3_000 });
    const before = clock.now();

    // Act
    const response = await clock.run(
      handler(
        connectEvent({
          parameters: { question: "営業時間を教えてください。", turn: "1", locale: "ja-JP", cursor: "0" },
        }),
      ),
    );

    // Assess: within the budget's register time, and no turn handed over to be ended
    expect(clock.now() - before).toBe(budget.connectAnswer.progressive.registerWithinMs);
    expect(response).toMatchObject({ status: "error", errorCode: "store_unavailable" });
    expect(dispatcher.abandoned).toEqual([]);
  });

  it("refuses an unknown role at cold start, naming the variable", () => {
    expect(() =>
      loadConfig({
        HOLDLINE_TABLE_NAME: "executions",
        HOLDLINE_WORKER_FUNCTION: "answer-worker",
        HOLDLINE_START_ROLE: "wait",
      }),
    ).toThrow(/HOLDLINE_START_ROLE/);
  });
});
