import { answer } from "@holdline/local-aws/bedrock-stub-script";
import { describe, expect, it } from "vitest";
import { never, question } from "../support/llm-requests.ts";
import { MODEL_ID, stubbedBedrockPerTest } from "../support/stubbed-bedrock.ts";

// What BedrockLlmClient makes of an answer on Converse and ConverseStream: usage, speakable text, or empty_answer.

const start = stubbedBedrockPerTest();

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
});
