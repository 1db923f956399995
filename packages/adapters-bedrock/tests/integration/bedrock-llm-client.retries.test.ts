import {
  accessDenied,
  answer,
  internalServerError,
  throttling,
} from "@holdline/local-aws/bedrock-stub-script";
import { describe, expect, it } from "vitest";
import { abortAfter, question } from "../support/llm-requests.ts";
import { stubbedBedrockPerTest } from "../support/stubbed-bedrock.ts";

// Which errors BedrockLlmClient retries on Converse and ConverseStream, and when it gives up.

const start = stubbedBedrockPerTest();

describe.each(["converse", "converse-stream"] as const)("BedrockLlmClient on %s", (api) => {
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
