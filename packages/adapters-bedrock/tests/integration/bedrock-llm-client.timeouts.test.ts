import { answer, hang, throttling } from "@holdline/local-aws/bedrock-stub-script";
import { describe, expect, it, vi } from "vitest";
import { never, question } from "../support/llm-requests.ts";
import { stubbedBedrockPerTest } from "../support/stubbed-bedrock.ts";

// How BedrockLlmClient ends a call on Converse and ConverseStream: at the abort, or at the SDK's request timeout.

const start = stubbedBedrockPerTest();

describe.each(["converse", "converse-stream"] as const)("BedrockLlmClient on %s", (api) => {
  it("cancels the HTTP request at the abort and never answers after it", async () => {
    // Prepare
    const { stub, client } = await start([answer("Too late.", { latencyMs: 600 })], { api });
    const answered = vi.fn();

    const deadline = new AbortController();

    // Act: abort once the request is on the wire (a loaded machine can take longer than a fixed delay to send it)
    const outcome = client.complete(question(), deadline.signal);
    outcome.then(answered, () => undefined);
    await vi.waitFor(() => expect(stub.requests).toHaveLength(1), { timeout: 5_000 });
    deadline.abort(new Error("deadline"));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    await vi.waitFor(() => expect(stub.requests[0]?.outcome).toBe("cancelled"), { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(answered).not.toHaveBeenCalled();
  });

  it("ends a hanging call with timeout at the abort", async () => {
    // Prepare
    const { stub, client } = await start([hang()], { api });
    const deadline = new AbortController();

    // Act: abort once the request has reached the stub
    const outcome = client.complete(question(), deadline.signal);
    await vi.waitFor(() => expect(stub.calls).toBe(1), { timeout: 5_000 });
    const abortedAt = Date.now();
    deadline.abort(new Error("deadline"));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
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

  it("ends with timeout when the signal aborts during a backoff", async () => {
    // Prepare
    const retry = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 1_000 };
    const { stub, client } = await start([throttling()], { api, retry });
    const deadline = new AbortController();

    // Act: abort once the throttled first attempt has been answered, i.e. during the 1 s backoff
    const outcome = client.complete(question(), deadline.signal);
    await vi.waitFor(() => expect(stub.calls).toBe(1), { timeout: 5_000 });
    deadline.abort(new Error("deadline"));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    expect(stub.calls).toBe(1);
  });
});
