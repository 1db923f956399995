import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { describe, expect, it, vi } from "vitest";
import { FaqLlmClient } from "../../src/faq-llm-client.ts";
import { HANAMIZUKI_BAKERY_FAQ, SLOW_ANSWER_MS } from "../../src/hanamizuki-bakery.faq.ts";
import { fixedLatency, modelLikeLatency } from "../../src/latency-model.ts";

const ask = (question: string, locale = "en-US"): LlmRequest => ({ question, locale, history: [] });
const never = () => new AbortController().signal;

describe("FaqLlmClient", () => {
  it("answers from the FAQ in the caller's language", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({ clock, latency: fixedLatency(0) });

    // Act
    const response = await clock.run(client.complete(ask("定休日はいつですか", "ja-JP"), never()));

    // Assess
    expect(response.text).toBe(HANAMIZUKI_BAKERY_FAQ.locales["ja-JP"]?.entries[1]?.answer);
  });

  it.each([
    ["en-US", "Tell me a joke.", "I'm sorry"],
    ["ja-JP", "冗談を言ってください", "申し訳ございません"],
  ])("%s: answers an unknown question with the polite fallback", async (locale, question, opening) => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({ clock, latency: fixedLatency(0) });

    // Act
    const response = await clock.run(client.complete(ask(question, locale), never()));

    // Assess
    expect(response.text.startsWith(opening)).toBe(true);
    expect(response.usage?.modelId).toBe("holdline-faq/hanamizuki-bakery/fallback");
  });

  it("answers only once the latency model's time has passed on the clock", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({ clock, latency: fixedLatency(2_000) });
    const answered = vi.fn();

    // Act
    client.complete(ask("What are your hours?"), never()).then(answered);
    await clock.advance(1_999);
    const early = answered.mock.calls.length;
    await clock.advance(1);

    // Assess
    expect(early).toBe(0);
    expect(answered).toHaveBeenCalledOnce();
  });

  it("takes an entry's own latency over the model's: the order answer outlasts Connect's 8 s", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({ clock, latency: fixedLatency(100) });
    const started = clock.now();

    // Act
    const response = await clock.run(client.complete(ask("Can I order a cake?"), never()));

    // Assess
    expect(SLOW_ANSWER_MS).toBe(20_000);
    expect(clock.now() - started).toBe(SLOW_ANSWER_MS);
    expect(response.usage?.latencyMs).toBe(SLOW_ANSWER_MS);
  });

  it("by default thinks like a model: first token, then per character", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({
      clock,
      latency: modelLikeLatency({ firstTokenMs: 500, perCharMs: 10 }),
    });
    const answer = HANAMIZUKI_BAKERY_FAQ.locales["en-US"]?.entries[0]?.answer ?? "";
    const started = clock.now();

    // Act
    await clock.run(client.complete(ask("What are your hours?"), never()));

    // Assess
    expect(clock.now() - started).toBe(500 + answer.length * 10);
  });

  it("reports usage with the matched entry as the model id", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({ clock, latency: fixedLatency(300) });

    // Act
    const response = await clock.run(client.complete(ask("Do you take cards?"), never()));

    // Assess
    expect(response.usage).toMatchObject({
      latencyMs: 300,
      modelId: "holdline-faq/hanamizuki-bakery/payment",
    });
    expect(response.usage?.inputTokens).toBeGreaterThan(0);
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
  });

  it("stops at the abort with timeout and never answers after it", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({ clock, latency: fixedLatency(5_000) });
    const controller = new AbortController();
    const answered = vi.fn();

    // Act
    const outcome = client.complete(ask("What are your hours?"), controller.signal);
    outcome.then(answered, () => undefined);
    await clock.advance(1_000);
    controller.abort(new Error("deadline"));
    await clock.advance(10_000);

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    expect(answered).not.toHaveBeenCalled();
  });
});
