import { ClockId } from "@holdline/domain/ports/clock.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { FaqLlmClient } from "../../src/faq-llm-client.ts";
import { faqLlmClientModule } from "../../src/faq-llm-client.module.ts";

describe("faqLlmClientModule", () => {
  it("binds the LLM client port to the FAQ model, once per container", async () => {
    // Prepare
    const container = new Container();
    container.bind(ClockId).toConstantValue(new ManualClock());
    await container.load(faqLlmClientModule());

    // Act
    const first = container.get(LlmClientId);
    const second = container.get(LlmClientId);

    // Assess
    expect(first).toBeInstanceOf(FaqLlmClient);
    expect(second).toBe(first);
  });
});
