import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { ScriptedLlmClient, stream } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { describe, expect, it } from "vitest";
import { ObservedLlmClient } from "../../src/observed-llm-client.ts";

const request = { question: "What time do you open?", locale: "en-US", history: [] };

describe("ObservedLlmClient", () => {
  it("hands the model's parts to the caller's listener as they come (progressive answers)", async () => {
    // Prepare
    const clock = new ManualClock();
    const inner = new ScriptedLlmClient(clock, [
      stream(
        [
          [500, "Yes, we are open."],
          [1_500, "We open at nine."],
        ],
        2_000,
      ),
    ]);
    const observed = new ObservedLlmClient(inner, clock);
    const heard: [number, string][] = [];
    const startedAt = clock.now();

    // Act
    const response = await clock.run(
      observed.complete(request, new AbortController().signal, (part) =>
        heard.push([clock.now() - startedAt, part]),
      ),
    );

    // Assess
    expect(heard).toEqual([
      [500, "Yes, we are open."],
      [1_500, "We open at nine."],
    ]);
    expect(response.parts).toEqual(["Yes, we are open.", "We open at nine."]);
    expect(observed.calls).toBe(1);
    expect(inner.listened).toEqual([true]);
  });

  it("gives the model no listener when the caller has none", async () => {
    const clock = new ManualClock();
    const inner = new ScriptedLlmClient(clock, [stream([[500, "Yes."]], 1_000)]);

    await clock.run(new ObservedLlmClient(inner, clock).complete(request, new AbortController().signal));

    expect(inner.listened).toEqual([false]);
  });
});
