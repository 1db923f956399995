import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { claim, newExecution } from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import {
  answer,
  failure,
  hang,
  type LlmStep,
  ScriptedLlmClient,
} from "@holdline/domain/testing/fakes/scripted-llm-client";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions" });
const budget = budgetFrom(config);
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };

function harness(script: LlmStep[]) {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const llm = new ScriptedLlmClient(clock, script);
  const container = buildContainer(config, budget);
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(ExecutionStoreId).toConstantValue(store);
  container.rebind(LlmClientId).toConstantValue(llm);
  const handler = createHandler(dependenciesFrom(container, config, budget));
  return { clock, store, llm, handler };
}

describe("connect-answer handler (native-async)", () => {
  it("runs the model inside the invocation and returns the answer", async () => {
    const { handler, clock, llm } = harness([answer("9時から19時まで営業しています。", 20_000)]);

    const response = await clock.run(handler(connectEvent()));

    expect(response).toMatchObject({
      status: "completed",
      answer: "9時から19時まで営業しています。",
      nextTurn: "2",
    });
    expect(llm.calls).toBe(1);
  });

  it("lets a Connect retry wait for the running attempt instead of calling the model again", async () => {
    // Prepare
    const { handler, clock, llm } = harness([answer("one answer", 10_000)]);
    const first = handler(connectEvent());
    await clock.advance(3_000);

    // Act
    const responses = await clock.run(Promise.all([first, handler(connectEvent())]));

    // Assess
    expect(llm.calls).toBe(1);
    expect(responses.map((response) => response.answer)).toEqual(["one answer", "one answer"]);
  });

  it("runs a second attempt in a Connect retry once the crashed first attempt's lease is over", async () => {
    // Prepare: a first invocation claimed the execution and died; its lease is not renewed.
    const { handler, clock, store, llm } = harness([answer("second try", 3_000)]);
    const queued = newExecution({
      key: KEY,
      input: { question: "営業時間を教えてください。", locale: "ja-JP" },
      now: clock.now(),
      deadlineMs: budget.connectAnswer.deadlineMs,
      retentionSeconds: budget.connectAnswer.policy.retentionSeconds,
    });
    await store.createIfAbsent(queued);
    const { leaseMs, maxAttempts } = budget.connectAnswer.policy;
    const crashed = await store.transition(claim(queued, { now: clock.now(), leaseMs, maxAttempts }), queued);

    // Act
    const response = await clock.run(handler(connectEvent()));

    // Assess
    expect(response).toMatchObject({ status: "completed", answer: "second try" });
    expect(llm.calls).toBe(1);
    expect(await store.get(KEY)).toMatchObject({ status: "completed", attempt: 2 });
    const secondStartedAt = clock.now() - 3_000;
    expect(secondStartedAt - (crashed.leaseUntil ?? 0)).toBeLessThanOrEqual(budget.policy.pollIntervalMs);
  });

  it("answers error deadline_exceeded before Connect's asynchronous limit when the model hangs", async () => {
    const { handler, clock, store } = harness([hang()]);
    const before = clock.now();

    const response = await clock.run(handler(connectEvent()));

    expect(response).toMatchObject({ status: "error", errorCode: "deadline_exceeded" });
    expect(clock.now() - before).toBe(budget.connectAnswer.deadlineMs);
    expect(clock.now() - before).toBeLessThan(budget.connectAnswer.blockLimitSeconds * 1000);
    expect((await store.get(KEY))?.status).toBe("failed");
  });

  it("answers a model failure as an error with its code", async () => {
    const { handler, clock } = harness([failure("access_denied", 50)]);

    const response = await clock.run(handler(connectEvent()));

    expect(response).toMatchObject({ status: "error", errorCode: "access_denied" });
  });

  it("answers error store_unavailable instead of throwing when the store is down", async () => {
    const { handler, clock, store, llm } = harness([answer("unused")]);
    store.failWith();

    const response = await clock.run(handler(connectEvent()));

    expect(response).toMatchObject({ status: "error", errorCode: "store_unavailable" });
    expect(llm.calls).toBe(0);
  });

  it("refuses a malformed event without a model call", async () => {
    const { handler, clock, llm } = harness([answer("unused")]);

    const response = await clock.run(handler({ Name: "ContactFlowEvent", Details: {} }));

    expect(response.status).toBe("error");
    expect(llm.calls).toBe(0);
  });
});
