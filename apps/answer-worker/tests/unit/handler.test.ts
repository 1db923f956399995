import { newExecution } from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import {
  answer,
  type LlmStep,
  ScriptedLlmClient,
  throttle,
} from "@holdline/domain/testing/fakes/scripted-llm-client";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions" });
const budget = budgetFrom(config);
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };

function harness(
  script: LlmStep[] = [answer("We open at nine.", 4_000)],
  environment: Record<string, string> = {},
) {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const llm = new ScriptedLlmClient(clock, script);
  const container = buildContainer(loadConfig({ HOLDLINE_TABLE_NAME: "executions", ...environment }), budget);
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(ExecutionStoreId).toConstantValue(store);
  container.rebind(LlmClientId).toConstantValue(llm);
  const dependencies = dependenciesFrom(container);
  const info = vi.spyOn(dependencies.observability.logger, "info");
  const logs = () => JSON.stringify(info.mock.calls);
  const handler = createHandler(dependencies);
  const register = () =>
    store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "When do you open?", locale: "en-US" },
        now: clock.now(),
        deadlineMs: budget.policy.deadlineMs,
        retentionSeconds: budget.policy.retentionSeconds,
      }),
    );
  return { clock, store, llm, handler, register, logs };
}

describe("answer-worker handler", () => {
  it("runs the execution and stores the answer", async () => {
    const { handler, clock, store, register } = harness();
    await register();

    const result = await clock.run(handler({ contactId: KEY.contactId, turn: 1 }));

    expect(result).toEqual({ outcome: "completed" });
    expect(await store.get(KEY)).toMatchObject({ status: "completed", answer: "We open at nine." });
  });

  it("stamps the run's writes with the invocation's request id, which its failure record names", async () => {
    const { handler, clock, store, register } = harness();
    await register();

    await clock.run(handler({ contactId: KEY.contactId, turn: 1 }, { awsRequestId: "c0ffee00-req" }));

    expect((await store.get(KEY))?.lastWriter).toMatch(/^c0ffee00-req\//);
  });

  it("logs the outcome without the question or the answer unless content logging is on", async () => {
    const quiet = harness();
    await quiet.register();
    const verbose = harness(undefined, { HOLDLINE_DEBUG_CONTENT: "true" });
    await verbose.register();

    await quiet.clock.run(quiet.handler({ contactId: KEY.contactId, turn: 1 }));
    await verbose.clock.run(verbose.handler({ contactId: KEY.contactId, turn: 1 }));

    expect(quiet.logs()).toContain('"outcome":"completed"');
    expect(quiet.logs()).not.toContain("When do you open?");
    expect(quiet.logs()).not.toContain("We open at nine.");
    expect(verbose.logs()).toContain("When do you open?");
    expect(verbose.logs()).toContain("We open at nine.");
  });

  it("makes one model call when Lambda delivers the same event twice", async () => {
    const { handler, clock, llm, register } = harness();
    await register();
    const event = { contactId: KEY.contactId, turn: 1 };

    const results = await clock.run(Promise.all([handler(event), handler(event)]));

    expect(llm.calls).toBe(1);
    expect(results.map((result) => result.outcome).sort()).toEqual(["completed", "skipped"]);
  });

  it("records a classified model failure instead of throwing", async () => {
    const { handler, clock, store, register } = harness([throttle(100)]);
    await register();

    const result = await clock.run(handler({ contactId: KEY.contactId, turn: 1 }));

    expect(result).toEqual({ outcome: "failed" });
    expect(await store.get(KEY)).toMatchObject({ status: "failed", error: { code: "throttled" } });
  });

  it("throws on a store outage so Lambda retries and then reaches the on-failure destination", async () => {
    const { handler, clock, store, register } = harness();
    await register();
    store.failWith();

    await expect(clock.run(handler({ contactId: KEY.contactId, turn: 1 }))).rejects.toMatchObject({
      code: "store_unavailable",
    });
  });

  it.each([null, "x", { contactId: "" }, { contactId: KEY.contactId, turn: "1" }, { turn: 1 }])(
    "drops the invalid payload %j without a model call",
    async (event) => {
      const { handler, clock, llm } = harness();

      expect(await clock.run(handler(event))).toEqual({ outcome: "invalid_payload" });
      expect(llm.calls).toBe(0);
    },
  );
});
