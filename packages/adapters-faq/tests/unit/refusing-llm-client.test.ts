import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { describe, expect, it } from "vitest";
import { FaqLlmClient } from "../../src/faq-llm-client.ts";
import { RefusingLlmClient } from "../support/refusing-llm-client.ts";

const ask = (question: string, locale = "en-US"): LlmRequest => ({ question, locale, history: [] });
const never = () => new AbortController().signal;

describe("RefusingLlmClient in front of the FAQ model", () => {
  it("plays a configured fault instead of answering", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new RefusingLlmClient(new FaqLlmClient({ clock }), (_request, call) =>
      call === 0 ? { code: "throttled", retryable: true } : undefined,
    );

    // Act
    const first = clock.run(client.complete(ask("What are your hours?"), never()));
    await expect(first).rejects.toMatchObject({ code: "throttled", retryable: true });
    const second = await clock.run(client.complete(ask("What are your hours?"), never()));

    // Assess
    expect(second.text).toMatch(/seven in the morning/);
    expect(client.calls).toBe(2);
  });
});
