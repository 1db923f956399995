import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { budgetFrom } from "@holdline/composition/config/environment.schema";
import type { InvocationContext } from "@holdline/composition/lambda/connect-handler";
import { joinParts } from "@holdline/domain/execution/answer-parts";
import type { ExecutionKey } from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { RecordingDispatcher } from "@holdline/domain/testing/fakes/recording-dispatcher";
import {
  answer,
  hang,
  type LlmStep,
  ScriptedLlmClient,
  stream,
} from "@holdline/domain/testing/fakes/scripted-llm-client";
import { ExecutionSupervisor } from "@holdline/domain/use-cases/execution-supervisor";
import { RunExecution } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { StartExecution } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, buildProgressiveContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";

// Progressive answers in native-async: connect-answer hands the turn to answer-worker and reads its parts.

const config = loadConfig({
  HOLDLINE_TABLE_NAME: "executions",
  HOLDLINE_WORKER_FUNCTION: "holdline-answer-worker",
});
const budget = budgetFrom(config);
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };
const QUESTION = "営業時間を教えてください。";
const PARTS = [
  "はい、本日は営業しております。",
  "朝9時から夜7時までです。",
  "日曜日は10時からです。",
  "ご来店をお待ちしております。",
];
const FOUR_PARTS = stream(
  [
    [800, PARTS[0] ?? ""],
    [2_500, PARTS[1] ?? ""],
    [4_500, PARTS[2] ?? ""],
    [7_000, PARTS[3] ?? ""],
  ],
  8_000,
);

/** What the progressive flow sends: the question, the turn, the locale and the parts heard so far. */
const progressiveEvent = (cursor: number | string) =>
  connectEvent({ parameters: { question: QUESTION, turn: "1", locale: "ja-JP", cursor: String(cursor) } });

/**
 * connect-answer with a worker, on virtual time: its model (`inline`) answers only a turn run in place; the
 * worker's (`model`) runs in answer-worker, which each dispatch starts in the background as Lambda would.
 */
function harness(workerScript: LlmStep[], { worker = true }: { worker?: boolean } = {}) {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const model = new ScriptedLlmClient(clock, workerScript);
  const inline = new ScriptedLlmClient(clock, [answer("run in place", 1_000)]);
  const container = buildContainer(config, budget);
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(ExecutionStoreId).toConstantValue(store);
  container.rebind(LlmClientId).toConstantValue(inline);
  // answer-worker, as its container runs a dispatched turn: the worker's policy, parts recorded.
  const workerRun = new RunExecution(store, model, clock, budget.policy);
  const runs: Promise<unknown>[] = [];
  let lose = 0;
  const dispatcher = new RecordingDispatcher((key: ExecutionKey) => {
    if (lose > 0) {
      lose -= 1;
      return;
    }
    runs.push(clock.sleep(100).then(() => workerRun.execute(key)));
  });
  const progressive = worker ? buildProgressiveContainer(container, config, budget) : undefined;
  progressive?.rebind(WorkDispatcherId).toConstantValue(dispatcher);
  const handler = createHandler(dependenciesFrom(container, config, budget, progressive));
  /** Lambda's context: the function's timeout (Connect's block limit) counted from the invocation's start. */
  const context = (): InvocationContext => {
    const startedAt = clock.now();
    const timeoutMs = budget.connectAnswer.lambdaTimeoutSeconds * 1000;
    return { getRemainingTimeInMillis: () => timeoutMs - (clock.now() - startedAt) };
  };
  const invoke = (cursor: number | string) => handler(progressiveEvent(cursor), context());
  return {
    clock,
    store,
    model,
    inline,
    dispatcher,
    handler,
    invoke,
    loseNextDispatch: () => {
      lose += 1;
    },
    workerDone: () => clock.run(Promise.all(runs)),
  };
}

/** The flow's loop: speak each response's parts (`speechMs` each), ask again with its cursor, until the end. */
async function converse(h: ReturnType<typeof harness>, speechMs = 1_500) {
  const startedAt = h.clock.now();
  const heard: { atMs: number; answer: string }[] = [];
  let response = await h.clock.run(h.invoke(0));
  for (let round = 0; round < 30; round += 1) {
    if (response.answer !== "") {
      heard.push({ atMs: h.clock.now() - startedAt, answer: response.answer ?? "" });
      await h.clock.run(h.clock.sleep(speechMs));
    }
    if (response.status !== "partial") break;
    response = await h.clock.run(h.invoke(response.cursor ?? ""));
  }
  return { heard, last: response };
}

describe("connect-answer with progressive answers (the flow sends a cursor)", () => {
  it("hands the turn to answer-worker and answers partial with the first part seconds before the model finishes", async () => {
    // Prepare
    const h = harness([FOUR_PARTS]);
    const before = h.clock.now();

    // Act
    const response = await h.clock.run(h.invoke(0));

    // Assess
    expect(response).toMatchObject({ status: "partial", answer: PARTS[0], cursor: "1", turn: "1" });
    expect(h.clock.now() - before).toBeLessThan(800 + 100 + 2 * budget.policy.pollIntervalMs);
    expect(h.dispatcher.dispatched).toEqual([KEY]);
    expect(h.inline.calls).toBe(0);
    expect(await h.store.get(KEY)).toMatchObject({
      status: "running",
      parts: [PARTS[0]],
      deadlineAt: before + budget.connectAnswer.progressive.deadlineMs,
    });
  });

  it("only reads a turn connect-start registered just before: no create, no second dispatch", async () => {
    // Prepare: connect-start (register role) has registered the turn and dispatched its worker
    const h = harness([FOUR_PARTS]);
    const policy = budget.connectAnswer.progressive.policy;
    const register = new StartExecution(
      h.store,
      new ExecutionSupervisor(h.store, h.dispatcher, h.clock, policy),
      h.clock,
      policy,
    );
    await h.clock.run(
      register.execute({ key: KEY, input: { question: QUESTION, locale: "ja-JP" }, fastPathWaitMs: 0 }),
    );
    const creates = h.store.requests.createIfAbsent;

    // Act
    const response = await h.clock.run(h.invoke(0));

    // Assess: the first part, read; the one dispatch is connect-start's
    expect(response).toMatchObject({ status: "partial", answer: PARTS[0], cursor: "1" });
    expect(h.store.requests.createIfAbsent).toBe(creates);
    expect(h.dispatcher.dispatched).toEqual([KEY]);
  });

  it("speaks every part once and in order, asking with the cursor and registering the turn once, one model call", async () => {
    const h = harness([FOUR_PARTS]);

    const { heard, last } = await converse(h);
    await h.workerDone();

    expect(
      joinParts(
        "ja-JP",
        heard.map((part) => part.answer),
      ),
    ).toBe(PARTS.join(""));
    expect(heard.length).toBeGreaterThan(1);
    expect(heard[0]?.atMs).toBeLessThan(1_500);
    expect(last).toMatchObject({ status: "completed", cursor: "4", errorPrompt: "" });
    expect(h.store.requests.createIfAbsent).toBe(1);
    expect(h.dispatcher.dispatched).toEqual([KEY]);
    expect(h.model.calls).toBe(1);
    expect(h.inline.calls).toBe(0);
    expect(await h.store.get(KEY)).toMatchObject({
      status: "completed",
      answer: PARTS.join(""),
      parts: PARTS,
    });
  });

  it("gives a Connect retry with the same cursor the same parts, and registers nothing again", async () => {
    // Prepare: the first part was heard; the worker has written the second.
    const h = harness([FOUR_PARTS]);
    await h.clock.run(h.invoke(0));
    await h.clock.run(h.clock.sleep(2_000));

    // Act
    const first = await h.clock.run(h.invoke(1));
    const retried = await h.clock.run(h.invoke(1));

    // Assess
    expect(first).toMatchObject({ status: "partial", answer: PARTS[1], cursor: "2" });
    expect(retried).toEqual(first);
    expect(h.store.requests.createIfAbsent).toBe(1);
    expect(h.dispatcher.dispatched).toEqual([KEY]);
  });

  it("waits within the invocation for the next part instead of answering in_progress", async () => {
    const h = harness([FOUR_PARTS]);
    await h.clock.run(h.invoke(0));
    const askedAt = h.clock.now();

    const response = await h.clock.run(h.invoke(1));

    expect(response).toMatchObject({ status: "partial", answer: PARTS[1], cursor: "2" });
    expect(h.clock.now() - askedAt).toBeGreaterThan(1_000);
  });

  it("speaks the parts written before a model failure, then the short apology", async () => {
    const h = harness([
      stream(
        [
          [800, PARTS[0] ?? ""],
          [2_500, PARTS[1] ?? ""],
        ],
        3_000,
        { fail: "model_error" },
      ),
    ]);

    const { heard, last } = await converse(h, 500);

    expect(
      joinParts(
        "ja-JP",
        heard.map((part) => part.answer),
      ),
    ).toBe(PARTS.slice(0, 2).join(""));
    expect(last).toMatchObject({
      status: "error",
      errorCode: "model_error",
      errorPrompt: "short",
      cursor: "2",
    });
    expect(h.model.calls).toBe(1);
  });

  it("answers error deadline_exceeded within the first invocation when the model never writes a part", async () => {
    // Prepare
    const h = harness([hang()]);
    const before = h.clock.now();

    // Act
    const response = await h.clock.run(h.invoke(0));

    // Assess: the turn's deadline comes before the invocation's wait ends, so it is read, not run out of.
    expect(response).toMatchObject({ status: "error", errorCode: "deadline_exceeded", errorPrompt: "full" });
    expect(h.clock.now() - before).toBeLessThan(
      budget.connectAnswer.blockLimitSeconds * 1000 - budget.connectAnswer.reserveMs,
    );
    expect(h.clock.now() - before).toBeGreaterThanOrEqual(budget.connectAnswer.progressive.deadlineMs);
    expect((await h.store.get(KEY))?.status).toBe("failed");
  });

  it("dispatches the worker again from the long-poll when its event was lost", async () => {
    const h = harness([FOUR_PARTS]);
    h.loseNextDispatch();

    const response = await h.clock.run(h.invoke(0));

    expect(response).toMatchObject({ status: "partial", answer: PARTS[0], cursor: "1" });
    expect(h.dispatcher.dispatched).toEqual([KEY, KEY]);
    expect(h.model.calls).toBe(1);
  });

  it("answers a cursor past every recorded part of a completed turn as completed with nothing left", async () => {
    const h = harness([answer("一文で答えます。", 500)]);
    await h.clock.run(h.invoke(0));

    const response = await h.clock.run(h.invoke(1));

    expect(response).toMatchObject({ status: "completed", answer: "", cursor: "1" });
  });

  it("still runs a turn without a cursor in place, through its own model, dispatching nothing", async () => {
    const h = harness([FOUR_PARTS]);

    const response = await h.clock.run(h.handler(connectEvent()));

    expect(response).toMatchObject({ status: "completed", answer: "run in place", cursor: "" });
    expect(h.inline.calls).toBe(1);
    expect(h.model.calls).toBe(0);
    expect(h.dispatcher.dispatched).toEqual([]);
  });
});

describe("connect-answer given no worker (HOLDLINE_WORKER_FUNCTION unset)", () => {
  it("refuses a progressive request with error dispatch_failed: nothing registered, no model call, no throw", async () => {
    const h = harness([FOUR_PARTS], { worker: false });

    const first = await h.clock.run(h.invoke(0));
    const later = await h.clock.run(h.invoke(2));

    expect(first).toMatchObject({
      status: "error",
      errorCode: "dispatch_failed",
      errorPrompt: "full",
      cursor: "0",
      turn: "1",
    });
    // Once the caller has heard parts, the short apology.
    expect(later).toMatchObject({ status: "error", errorCode: "dispatch_failed", errorPrompt: "short" });
    expect(h.store.requests.createIfAbsent).toBe(0);
    expect(h.model.calls + h.inline.calls).toBe(0);
  });

  it("builds no progressive container without a worker, and one with it", () => {
    const without = loadConfig({ HOLDLINE_TABLE_NAME: "executions" });
    const container = buildContainer(without, budgetFrom(without));

    expect(buildProgressiveContainer(container, without, budgetFrom(without))).toBeUndefined();
    expect(dependenciesFrom(container, without, budgetFrom(without)).progressive).toBeUndefined();
    expect(buildProgressiveContainer(container, config, budget)).toBeDefined();
  });
});
