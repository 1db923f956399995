import { ManualClock } from "../support/clock/manual-clock.ts";
import { clockContract } from "../support/contracts/clock.contract.ts";
import { executionStoreContract } from "../support/contracts/execution-store.contract.ts";
import { type LlmScenario, llmClientContract } from "../support/contracts/llm-client.contract.ts";
import { textDeliveryStoreContract } from "../support/contracts/text-delivery-store.contract.ts";
import { workDispatcherContract } from "../support/contracts/work-dispatcher.contract.ts";
import { InMemoryExecutionStore } from "../support/fakes/in-memory-execution-store.ts";
import { RecordingDispatcher } from "../support/fakes/recording-dispatcher.ts";
import {
  answer,
  failure,
  hang,
  type LlmStep,
  ScriptedLlmClient,
} from "../support/fakes/scripted-llm-client.ts";

executionStoreContract("in-memory", {
  create: (clock) => new InMemoryExecutionStore(clock),
  refusalCarriesCurrent: true,
});
executionStoreContract("in-memory, refusals without the stored execution (as dynalite)", {
  create: (clock) => new InMemoryExecutionStore(clock, { refusalCarriesCurrent: false }),
});

const stepFor = (scenario: LlmScenario): LlmStep => {
  switch (scenario.kind) {
    case "answer":
      return answer(scenario.text, scenario.latencyMs);
    case "refuse":
      return failure(scenario.code, 0, scenario.code === "throttled");
    case "hang":
      return hang();
  }
};

/**
 * The LLM contract runs on real time; the fake's latency runs on a virtual clock that a timer moves
 * forward as real time passes (the wall clock itself lives in adapters-node, which depends on this package).
 */
function realTimeClock(): { clock: ManualClock; stop(): void } {
  const clock = new ManualClock(Date.now());
  const timer = setInterval(() => void clock.advance(Date.now() - clock.now()), 5);
  return { clock, stop: () => clearInterval(timer) };
}

llmClientContract("scripted fake", {
  create: (scenario) => {
    const time = realTimeClock();
    const client = new ScriptedLlmClient(time.clock, [stepFor(scenario)]);
    return { client, modelCalls: () => client.calls, dispose: async () => time.stop() };
  },
});

workDispatcherContract("recording fake", {
  create: () => ({ dispatcher: new RecordingDispatcher() }),
  delivery: {
    kind: "worker",
    delivered: ({ dispatcher }) => dispatcher.dispatched,
    abandoned: ({ dispatcher }) => dispatcher.abandoned,
  },
  refusal: { kind: "scripted", refuseNext: ({ dispatcher }) => dispatcher.failNext() },
});

clockContract("manual (virtual time)", {
  create: () => new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0)),
  pass: (clock, ms) => clock.advance(ms),
});

textDeliveryStoreContract("in-memory", { create: (clock) => new InMemoryExecutionStore(clock) });
