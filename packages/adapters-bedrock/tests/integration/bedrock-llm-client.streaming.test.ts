import { answer, streamFailure } from "@holdline/local-aws/bedrock-stub-script";
import { describe, expect, it, vi } from "vitest";
import { abortAfter, never, question } from "../support/llm-requests.ts";
import { stubbedBedrockPerTest } from "../support/stubbed-bedrock.ts";

// What only ConverseStream does: assemble chunks, cancel between them, fail mid-answer.

const start = stubbedBedrockPerTest();

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

    const deadline = new AbortController();

    // Act: abort once the stream has begun (a loaded machine can take longer than a fixed delay to send it)
    const outcome = client.complete(question(), deadline.signal);
    await vi.waitFor(() => expect(stub.requests).toHaveLength(1), { timeout: 5_000 });
    deadline.abort(new Error("deadline"));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    await vi.waitFor(() => expect(stub.requests[0]?.outcome).toBe("cancelled"), { timeout: 5_000 });
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
