import { describe, expect, it } from "vitest";
import { ManualClock } from "../support/clock/manual-clock.ts";
import { InMemoryExecutionStore } from "../support/fakes/in-memory-execution-store.ts";
import { RecordingDispatcher } from "../support/fakes/recording-dispatcher.ts";
import { answer, ScriptedLlmClient, throttle } from "../support/fakes/scripted-llm-client.ts";

const request = { question: "q", locale: "en-US", history: [] };

describe("ScriptedLlmClient", () => {
  it("plays its steps in order on the clock, then repeats the last", async () => {
    // Prepare
    const clock = new ManualClock(0);
    const llm = new ScriptedLlmClient(clock, [throttle(100), answer("hello", 2_000)]);
    const never = new AbortController().signal;

    // Act
    const first = clock.run(llm.complete(request, never));
    await expect(first).rejects.toMatchObject({ code: "throttled", retryable: true });
    const second = await clock.run(llm.complete(request, never));
    const third = await clock.run(llm.complete(request, never));

    // Assess
    expect(second.text).toBe("hello");
    expect(third.text).toBe("hello");
    expect(clock.now()).toBe(4_100);
    expect(llm.calls).toBe(3);
  });
});

describe("RecordingDispatcher", () => {
  it("loses the requested number of dispatches with dispatch_failed, then records", async () => {
    const dispatcher = new RecordingDispatcher();
    dispatcher.failNext(1);

    await expect(dispatcher.dispatch({ contactId: "c", turn: 1 })).rejects.toMatchObject({
      code: "dispatch_failed",
    });
    await dispatcher.dispatch({ contactId: "c", turn: 1 });

    expect(dispatcher.dispatched).toEqual([{ contactId: "c", turn: 1 }]);
  });
});

describe("InMemoryExecutionStore", () => {
  it("fails every call with store_unavailable during a simulated outage", async () => {
    const store = new InMemoryExecutionStore(new ManualClock(0));
    store.failWith();

    await expect(store.get({ contactId: "c", turn: 1 })).rejects.toMatchObject({ code: "store_unavailable" });
    store.restore();
    await expect(store.get({ contactId: "c", turn: 1 })).resolves.toBeUndefined();
  });
});
