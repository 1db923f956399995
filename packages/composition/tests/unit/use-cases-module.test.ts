import { deriveBudget } from "@holdline/budget/timing-budget";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { RunExecutionId } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { StartExecutionId } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { RecordingDispatcher } from "@holdline/domain/testing/fakes/recording-dispatcher";
import { answer, ScriptedLlmClient } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { useCasesModule } from "../../src/modules/use-cases.module.ts";

describe("useCasesModule", () => {
  it("wires the use cases to the adapters bound in the container", async () => {
    // Prepare
    const clock = new ManualClock();
    const store = new InMemoryExecutionStore(clock);
    const dispatcher = new RecordingDispatcher();
    const llm = new ScriptedLlmClient(clock, [answer("nine", 100)]);
    const container = new Container();
    container.load(useCasesModule(deriveBudget().policy));
    container.bind(ClockId).toConstantValue(clock);
    container.bind(ExecutionStoreId).toConstantValue(store);
    container.bind(WorkDispatcherId).toConstantValue(dispatcher);
    container.bind(LlmClientId).toConstantValue(llm);
    const key = { contactId: "c", turn: 1 };

    // Act
    await container
      .get(StartExecutionId)
      .execute({ key, input: { question: "q", locale: "en-US" }, fastPathWaitMs: 0 });
    await clock.run(container.get(RunExecutionId).execute(key));

    // Assess
    expect(dispatcher.dispatched).toEqual([key]);
    expect((await store.get(key))?.answer).toBe("nine");
    expect(container.get(StartExecutionId)).toBe(container.get(StartExecutionId));
  });

  it("resolves the start use case without any model client bound", () => {
    const clock = new ManualClock();
    const container = new Container();
    container.load(useCasesModule(deriveBudget().policy));
    container.bind(ClockId).toConstantValue(clock);
    container.bind(ExecutionStoreId).toConstantValue(new InMemoryExecutionStore(clock));
    container.bind(WorkDispatcherId).toConstantValue(new RecordingDispatcher());

    expect(() => container.get(StartExecutionId)).not.toThrow();
  });
});
