import { SystemClock } from "@holdline/adapters-node/system-clock";
import { type LlmScenario, llmClientContract } from "@holdline/domain/testing/contracts/llm-client.contract";
import type { Faq } from "../../src/faq.ts";
import { type FaqFault, FaqLlmClient } from "../../src/faq-llm-client.ts";
import { fixedLatency } from "../../src/latency-model.ts";

/** A one-entry FAQ whose answer is the scenario's text, for the contract's opening-hours question. */
const faqAnswering = (text: string): Faq => ({
  name: "contract",
  defaultLocale: "en-US",
  locales: { "en-US": { entries: [{ id: "hours", keywords: ["hours"], answer: text }], fallback: "Sorry." } },
});

const faultFor = (scenario: LlmScenario): FaqFault | undefined => {
  if (scenario.kind === "hang") return { kind: "hang" };
  if (scenario.kind === "refuse")
    return { kind: "fail", code: scenario.code, retryable: scenario.code === "throttled" };
  return undefined;
};

llmClientContract("FAQ model", {
  create: (scenario) => {
    const client = new FaqLlmClient({
      clock: new SystemClock(),
      faq: faqAnswering(scenario.kind === "answer" ? scenario.text : "unused"),
      latency: fixedLatency(scenario.kind === "answer" ? scenario.latencyMs : 0),
      fault: () => faultFor(scenario),
    });
    return { client, modelCalls: () => client.calls };
  },
});
