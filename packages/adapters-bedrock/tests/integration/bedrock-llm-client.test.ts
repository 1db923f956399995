import {
  accessDenied,
  answer,
  hang,
  internalServerError,
  streamFailure,
  throttling,
} from "@holdline/local-aws/bedrock-stub-script";
import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_SYSTEM_PROMPTS } from "../../src/system-prompts.ts";
import { MODEL_ID, type StubbedBedrock, stubbedBedrock } from "../support/stubbed-bedrock.ts";

const question = (overrides: Partial<LlmRequest> = {}): LlmRequest => ({
  question: "What are your opening hours?",
  locale: "en-US",
  history: [],
  ...overrides,
});

const never = () => new AbortController().signal;
const abortAfter = (ms: number) => AbortSignal.timeout(ms);

let subject: StubbedBedrock | undefined;
const start = async (...args: Parameters<typeof stubbedBedrock>) => {
  subject = await stubbedBedrock(...args);
  return subject;
};
afterEach(async () => {
  await subject?.dispose();
  subject = undefined;
});

describe("BedrockLlmClient request mapping", () => {
  it("sends earlier turns, oldest first, as alternating user and assistant messages before the question", async () => {
    // Prepare
    const { stub, client } = await start([answer("Nine to six.")]);
    const history = [
      { question: "Is this the bakery?", answer: "Yes, it is." },
      { question: "Do you bake rye bread?", answer: "Every morning." },
    ];

    // Act
    await client.complete(question({ history }), never());

    // Assess
    expect(stub.requests[0]?.body.messages).toEqual([
      { role: "user", content: [{ text: "Is this the bakery?" }] },
      { role: "assistant", content: [{ text: "Yes, it is." }] },
      { role: "user", content: [{ text: "Do you bake rye bread?" }] },
      { role: "assistant", content: [{ text: "Every morning." }] },
      { role: "user", content: [{ text: "What are your opening hours?" }] },
    ]);
  });

  it("leaves out a turn with a blank answer so the roles still alternate", async () => {
    // Prepare
    const { stub, client } = await start([answer("Nine to six.")]);
    const history = [{ question: "Hello?", answer: "  " }];

    // Act
    await client.complete(question({ history }), never());

    // Assess
    expect(stub.requests[0]?.body.messages).toEqual([
      { role: "user", content: [{ text: "What are your opening hours?" }] },
    ]);
  });

  it.each(["ja-JP", "en-US"])("sends the phone-call system prompt for %s", async (locale) => {
    // Prepare
    const { stub, client } = await start([answer("OK.")]);

    // Act
    await client.complete(question({ locale }), never());

    // Assess
    expect(stub.requests[0]?.body.system).toEqual([{ text: DEFAULT_SYSTEM_PROMPTS[locale] }]);
  });

  it("calls the configured model id (an inference profile ARN survives the path) with its inference settings", async () => {
    // Prepare
    const modelId =
      "arn:aws:bedrock:ap-northeast-1:123456789012:inference-profile/jp.anthropic.claude-haiku-4-5";
    const { stub, client } = await start([answer("OK.")], { modelId, maxTokens: 256, temperature: 0.1 });

    // Act
    await client.complete(question(), never());

    // Assess
    expect(stub.requests[0]?.modelId).toBe(modelId);
    expect(stub.requests[0]?.body.inferenceConfig).toEqual({ maxTokens: 256, temperature: 0.1 });
  });

  it("passes the guardrail and wraps only the caller's question as guard content", async () => {
    // Prepare
    const guardrail = { identifier: "gr-voice", version: "3", trace: true };
    const { stub, client } = await start([answer("OK.")], { guardrail });
    const history = [{ question: "Hi.", answer: "Hello." }];

    // Act
    await client.complete(question({ history }), never());

    // Assess
    const body = stub.requests[0]?.body;
    expect(body?.guardrailConfig).toEqual({
      guardrailIdentifier: "gr-voice",
      guardrailVersion: "3",
      trace: "enabled",
    });
    expect(body?.messages).toEqual([
      { role: "user", content: [{ text: "Hi." }] },
      { role: "assistant", content: [{ text: "Hello." }] },
      {
        role: "user",
        content: [
          { guardContent: { text: { text: "What are your opening hours?", qualifiers: ["guard_content"] } } },
        ],
      },
    ]);
  });

  it("passes the guardrail's stream processing mode on ConverseStream", async () => {
    // Prepare
    const guardrail = { identifier: "gr-voice", version: "DRAFT", streamProcessingMode: "sync" as const };
    const { stub, client } = await start([answer("OK.")], { guardrail, api: "converse-stream" });

    // Act
    await client.complete(question(), never());

    // Assess
    expect(stub.requests[0]?.operation).toBe("converse-stream");
    expect(stub.requests[0]?.body.guardrailConfig).toEqual({
      guardrailIdentifier: "gr-voice",
      guardrailVersion: "DRAFT",
      streamProcessingMode: "sync",
    });
  });

  it("sends neither guardrail nor performance settings unless configured", async () => {
    // Prepare
    const { stub, client } = await start([answer("OK.")]);

    // Act
    await client.complete(question(), never());

    // Assess
    expect(stub.requests[0]?.body).not.toHaveProperty("guardrailConfig");
    expect(stub.requests[0]?.body).not.toHaveProperty("performanceConfig");
  });

  it("asks for latency-optimized inference when configured", async () => {
    // Prepare
    const { stub, client } = await start([answer("OK.")], { performanceConfig: { latency: "optimized" } });

    // Act
    await client.complete(question(), never());

    // Assess
    expect(stub.requests[0]?.body.performanceConfig).toEqual({ latency: "optimized" });
  });
});

describe.each(["converse", "converse-stream"] as const)("BedrockLlmClient on %s", (api) => {
  it("returns usage with the model's reported latency and the model id", async () => {
    // Prepare
    const { client } = await start(
      [answer("Nine to six.", { inputTokens: 120, outputTokens: 7, modelLatencyMs: 456 })],
      {
        api,
      },
    );

    // Act
    const response = await client.complete(question(), never());

    // Assess
    expect(response.usage).toEqual({ inputTokens: 120, outputTokens: 7, latencyMs: 456, modelId: MODEL_ID });
  });

  it("makes the answer speakable", async () => {
    // Prepare
    const { client } = await start(
      [answer("## Hours\n- **Weekdays**: 9 to 6 🥐\n- See https://example.com")],
      { api },
    );

    // Act
    const response = await client.complete(question(), never());

    // Assess
    expect(response.text).toBe("Hours. Weekdays: 9 to 6. See the website.");
  });

  it("drops the sentence cut off by the token limit", async () => {
    // Prepare
    const { client } = await start(
      [answer("We open at nine. On Sundays we open", { stopReason: "max_tokens" })],
      { api },
    );

    // Act
    const response = await client.complete(question(), never());

    // Assess
    expect(response.text).toBe("We open at nine.");
  });

  it("fails with empty_answer when nothing speakable comes back", async () => {
    // Prepare
    const { client } = await start([answer("🙂 ✨")], { api });

    // Act
    const outcome = client.complete(question(), never());

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "empty_answer", retryable: false });
  });

  it("cancels the HTTP request at the abort and never answers after it", async () => {
    // Prepare
    const { stub, client } = await start([answer("Too late.", { latencyMs: 600 })], { api });
    const answered = vi.fn();

    // Act
    const outcome = client.complete(question(), abortAfter(100));
    outcome.then(answered, () => undefined);

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    await vi.waitFor(() => expect(stub.requests[0]?.outcome).toBe("cancelled"));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(answered).not.toHaveBeenCalled();
  });

  it("ends a hanging call with timeout at the abort", async () => {
    // Prepare
    const { stub, client } = await start([hang()], { api });
    const started = Date.now();

    // Act
    const outcome = client.complete(question(), abortAfter(150));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(stub.calls).toBe(1);
  });

  it("fails a call whose stream sits idle past the SDK request timeout with timeout", async () => {
    // Prepare
    const { client } = await start([hang()], { api, requestTimeoutMs: 150 });

    // Act
    const outcome = client.complete(question(), never());

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
  });

  it("retries throttling and answers when the model recovers within the deadline", async () => {
    // Prepare
    const { stub, client } = await start([throttling(), throttling(), answer("Nine to six.")], { api });

    // Act
    const response = await client.complete(question(), abortAfter(3_000));

    // Assess
    expect(response.text).toBe("Nine to six.");
    expect(stub.calls).toBe(3);
  });

  it("gives up with throttled once the next backoff would pass the retry budget", async () => {
    // Prepare: backoffs of 99, 198, 396 ms; the third cannot fit in 600 ms after two of them.
    const retry = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000, budgetMs: 600 };
    const { stub, client } = await start([throttling()], { api, retry, random: () => 0.99 });
    const started = Date.now();

    // Act
    const outcome = client.complete(question(), abortAfter(5_000));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "throttled", retryable: true });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(stub.calls).toBeGreaterThanOrEqual(2);
    expect(stub.calls).toBeLessThanOrEqual(3);
  });

  it("gives up with throttled, not timeout, when the next backoff would end past the request's deadline", async () => {
    // Prepare
    const retry = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 1_000 };
    const { stub, client } = await start([throttling()], { api, retry, random: () => 0.99 });
    const started = Date.now();

    // Act
    const outcome = client.complete({ ...question(), deadlineAt: Date.now() + 500 }, abortAfter(5_000));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "throttled", retryable: true });
    expect(Date.now() - started).toBeLessThan(500);
    expect(stub.calls).toBe(1);
  });

  it("ends with timeout when the signal aborts during a backoff", async () => {
    // Prepare
    const retry = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 1_000 };
    const { stub, client } = await start([throttling()], { api, retry });

    // Act
    const outcome = client.complete(question(), abortAfter(200));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    expect(stub.calls).toBe(1);
  });

  it("retries a 500 and answers", async () => {
    // Prepare
    const { stub, client } = await start([internalServerError(), answer("Nine to six.")], { api });

    // Act
    const response = await client.complete(question(), abortAfter(3_000));

    // Assess
    expect(response.text).toBe("Nine to six.");
    expect(stub.calls).toBe(2);
  });

  it("stops retrying a persistent 500 after maxAttempts with a retryable model_error", async () => {
    // Prepare
    const { stub, client } = await start([internalServerError()], { api });

    // Act
    const outcome = client.complete(question(), abortAfter(3_000));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "model_error", retryable: true });
    expect(stub.calls).toBe(3);
  });

  it("does not retry a refusal", async () => {
    // Prepare
    const { stub, client } = await start([accessDenied(), answer("never sent")], { api });

    // Act
    const outcome = client.complete(question(), abortAfter(3_000));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "access_denied", retryable: false });
    expect(stub.calls).toBe(1);
  });
});

describe("BedrockLlmClient streaming", () => {
  it("assembles the same answer as Converse", async () => {
    // Prepare
    const text =
      "**Yes!** We bake rye bread every morning.\n\n- It is ready at 8.\n- It sells out by noon 🍞";
    const chunks = [
      "**Ye",
      "s!** We bake r",
      "ye bread every morning.\n",
      "\n- It is ready at 8.\n- It sel",
      "ls out by noon 🍞",
    ];
    const converse = await start([answer(text)], { api: "converse" });
    const whole = await converse.client.complete(question(), never());
    await converse.dispose();

    // Act
    const streaming = await start([answer(text, { chunks })], { api: "converse-stream" });
    const assembled = await streaming.client.complete(question(), never());

    // Assess
    expect(assembled.text).toBe(whole.text);
    expect(assembled.text).toBe(
      "Yes! We bake rye bread every morning. It is ready at 8. It sells out by noon.",
    );
  });

  it("cancels the stream when the signal aborts between chunks", async () => {
    // Prepare
    const { stub, client } = await start(
      [
        answer("One. Two. Three. Four.", {
          chunks: ["One. ", "Two. ", "Three. ", "Four."],
          chunkDelayMs: 300,
        }),
      ],
      {
        api: "converse-stream",
      },
    );

    // Act
    const outcome = client.complete(question(), abortAfter(150));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    await vi.waitFor(() => expect(stub.requests[0]?.outcome).toBe("cancelled"));
  });

  it("retries a model stream error raised mid-answer", async () => {
    // Prepare
    const { stub, client } = await start([streamFailure("We open at"), answer("We open at nine.")], {
      api: "converse-stream",
    });

    // Act
    const response = await client.complete(question(), abortAfter(3_000));

    // Assess
    expect(response.text).toBe("We open at nine.");
    expect(stub.calls).toBe(2);
    expect(stub.requests[0]?.outcome).toBe("failed-mid-stream");
  });
});
