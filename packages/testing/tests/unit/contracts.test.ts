import { SystemClock } from "@holdline/adapters-node/system-clock";
import { executionStoreContract } from "../../src/contracts/execution-store.contract.ts";
import { type LlmScenario, llmClientContract } from "../../src/contracts/llm-client.contract.ts";
import { InMemoryExecutionStore } from "../../src/fakes/in-memory-execution-store.ts";
import {
  answer,
  failure,
  hang,
  ScriptedLlmClient,
  type LlmStep,
} from "../../src/fakes/scripted-llm-client.ts";

executionStoreContract("in-memory", { create: (clock) => new InMemoryExecutionStore(clock) });

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

llmClientContract("scripted fake", {
  create: (scenario) => {
    const client = new ScriptedLlmClient(new SystemClock(), [stepFor(scenario)]);
    return { client, modelCalls: () => client.calls };
  },
});
