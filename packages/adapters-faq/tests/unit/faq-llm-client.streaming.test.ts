import { cutParts, joinParts } from "@holdline/domain/execution/answer-parts";
import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { describe, expect, it, vi } from "vitest";
import type { Faq } from "../../src/faq.ts";
import { FaqLlmClient } from "../../src/faq-llm-client.ts";
import { HANAMIZUKI_BAKERY_FAQ, SLOW_ANSWER_MS } from "../../src/hanamizuki-bakery.faq.ts";
import { fixedLatency, pacedLatency, STREAMING_PACES } from "../../src/latency-model.ts";
import { estimateTokens } from "../../src/token-estimate.ts";

const ask = (question: string, locale = "en-US"): LlmRequest => ({ question, locale, history: [] });
const never = () => new AbortController().signal;

const THREE_SENTENCES =
  "We open at nine today. We close at six in the evening on weekdays. On Sundays we open at ten.";

/** A one-entry FAQ answering `text` to any question about hours. */
const faqAnswering = (text: string, locale = "en-US"): Faq => ({
  name: "streaming",
  defaultLocale: locale,
  locales: {
    [locale]: { entries: [{ id: "hours", keywords: ["hours", "営業"], answer: text }], fallback: "Sorry." },
  },
});

/** Runs one call on virtual time, recording when (ms after the question) each part was handed. */
async function streamed(client: FaqLlmClient, clock: ManualClock, request: LlmRequest) {
  const started = clock.now();
  const handed: { part: string; atMs: number }[] = [];
  const response = await clock.run(
    client.complete(request, never(), (part) => handed.push({ part, atMs: clock.now() - started })),
  );
  return { response, handed, totalMs: clock.now() - started };
}

describe("FaqLlmClient streaming", () => {
  it("hands each part as the model writes it, the first long before the answer is done", async () => {
    // Prepare
    const clock = new ManualClock();
    const latency = pacedLatency(STREAMING_PACES.large);
    const client = new FaqLlmClient({ clock, faq: faqAnswering(THREE_SENTENCES), latency });

    // Act
    const { response, handed, totalMs } = await streamed(client, clock, ask("What are your hours?"));

    // Assess
    expect(handed.map((entry) => entry.part)).toEqual(cutParts("en-US", THREE_SENTENCES));
    expect(response.parts).toEqual(handed.map((entry) => entry.part));
    expect(response.text).toBe(THREE_SENTENCES);
    expect(joinParts("en-US", response.parts ?? [])).toBe(response.text);
    expect(totalMs).toBe(latency(THREE_SENTENCES, ask("")));
    // "We open at nine today. " is 6 of the answer's 24 tokens: written at 0.8 s + 6 / 25 s.
    expect(handed[0]?.atMs).toBe(800 + 240);
    expect(handed[1]?.atMs).toBeLessThan(totalMs);
    expect(handed.at(-1)?.atMs).toBe(totalMs);
  });

  it("hands a part at the very clock time its last token is written, not before", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({
      clock,
      faq: faqAnswering(THREE_SENTENCES),
      latency: pacedLatency(STREAMING_PACES.large),
    });
    const onPart = vi.fn();

    // Act
    const outcome = client.complete(ask("What are your hours?"), never(), onPart);
    await clock.advance(1_039);
    const early = onPart.mock.calls.length;
    await clock.advance(1);

    // Assess
    expect(early).toBe(0);
    expect(onPart).toHaveBeenCalledExactlyOnceWith("We open at nine today.");
    await clock.run(outcome);
  });

  it("writes nothing before the first token, and everything by the answer's time when that is shorter", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({
      clock,
      faq: faqAnswering(THREE_SENTENCES),
      latency: fixedLatency(300),
    });

    // Act
    const { handed, totalMs } = await streamed(client, clock, ask("What are your hours?"));

    // Assess
    expect(totalMs).toBe(300);
    expect(handed.map((entry) => entry.atMs)).toEqual([300, 300, 300]);
  });

  it("keeps the parts already handed and hands no more when the signal aborts mid-answer", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({
      clock,
      faq: faqAnswering(THREE_SENTENCES),
      latency: pacedLatency(STREAMING_PACES.large),
    });
    const controller = new AbortController();
    const onPart = vi.fn();

    // Act
    const outcome = client.complete(ask("What are your hours?"), controller.signal, onPart);
    outcome.catch(() => undefined);
    await clock.advance(1_100);
    controller.abort(new Error("deadline"));
    await clock.advance(10_000);

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    expect(onPart).toHaveBeenCalledExactlyOnceWith("We open at nine today.");
  });

  it("without onPart answers at the same time with the whole text and no parts", async () => {
    // Prepare
    const clock = new ManualClock();
    const client = new FaqLlmClient({
      clock,
      faq: faqAnswering(THREE_SENTENCES),
      latency: fixedLatency(2_000),
    });
    const started = clock.now();

    // Act
    const response = await clock.run(client.complete(ask("What are your hours?"), never()));

    // Assess
    expect(clock.now() - started).toBe(2_000);
    expect(response.parts).toBeUndefined();
    expect(response.text).toBe(THREE_SENTENCES);
  });
});

describe("the demo's slow question, streamed", () => {
  it.each([
    ["ja-JP", "誕生日ケーキの予約はできますか？"],
    ["en-US", "Can I order a birthday cake?"],
  ])(
    "%s: a multi-sentence answer at a large model's steady pace over 20 s, its first sentence ready within 2 s",
    async (locale, question) => {
      // Prepare
      const clock = new ManualClock();
      const client = new FaqLlmClient({ clock });
      const answer = HANAMIZUKI_BAKERY_FAQ.locales[locale]?.entries.find(
        (entry) => entry.id === "orders",
      )?.answer;

      // Act
      const { response, handed, totalMs } = await streamed(client, clock, ask(question, locale));

      // Assess: the whole answer, in many parts, over 20 s
      expect(response.text).toBe(answer);
      expect(response.usage?.modelId).toBe("holdline-faq/hanamizuki-bakery/orders");
      expect(totalMs).toBe(SLOW_ANSWER_MS);
      expect(handed.length).toBeGreaterThanOrEqual(10);
      expect(handed.at(-1)?.atMs).toBe(SLOW_ANSWER_MS);
      // The first sentence is written 1 to 2 s after the question.
      expect(handed[0]?.atMs).toBeGreaterThanOrEqual(1_000);
      expect(handed[0]?.atMs).toBeLessThanOrEqual(2_000);
      // A large model's pace (docs/latency-model.md: 20 to 30 tokens a second), the same all through:
      // each part is written at 0.8 s plus the tokens so far at one rate.
      const tokensPerSecond = estimateTokens(answer ?? "") / ((SLOW_ANSWER_MS - 800) / 1_000);
      expect(tokensPerSecond).toBeGreaterThanOrEqual(20);
      expect(tokensPerSecond).toBeLessThanOrEqual(30);
      let tokensSoFar = 0;
      for (const { part, atMs } of handed.slice(0, -1)) {
        tokensSoFar += estimateTokens(part);
        expect(Math.abs(atMs - (800 + (tokensSoFar * 1_000) / tokensPerSecond))).toBeLessThan(300);
      }
    },
  );
});
