import { SystemClock } from "@holdline/adapters-node/system-clock";
import { llmClientContract } from "@holdline/domain/testing/contracts/llm-client.contract";
import type { Faq } from "../../src/faq.ts";
import { FaqLlmClient } from "../../src/faq-llm-client.ts";
import { fixedLatency } from "../../src/latency-model.ts";
import { RefusingLlmClient } from "../support/refusing-llm-client.ts";

/** A one-entry FAQ whose answer is the scenario's text, for the contract's opening-hours question. */
const faqAnswering = (text: string): Faq => ({
  name: "contract",
  defaultLocale: "en-US",
  locales: { "en-US": { entries: [{ id: "hours", keywords: ["hours"], answer: text }], fallback: "Sorry." } },
});

/** Longer than any test: a model that "thinks" this long hangs until the abort. */
const AN_HOUR_MS = 3_600_000;

llmClientContract("FAQ model", {
  create: (scenario) => {
    const model = new FaqLlmClient({
      clock: new SystemClock(),
      faq: faqAnswering(scenario.kind === "answer" ? scenario.text : "unused"),
      latency: fixedLatency(scenario.kind === "answer" ? scenario.latencyMs : AN_HOUR_MS),
    });
    // The FAQ model has no backend to refuse it: a refusing one is put in front.
    const client =
      scenario.kind === "refuse"
        ? new RefusingLlmClient(model, () => ({
            code: scenario.code,
            retryable: scenario.code === "throttled",
          }))
        : model;
    return { client, modelCalls: () => model.calls };
  },
});
