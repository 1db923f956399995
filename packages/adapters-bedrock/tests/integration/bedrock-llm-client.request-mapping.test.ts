import { answer } from "@holdline/local-aws/bedrock-stub-script";
import { describe, expect, it } from "vitest";
import { DEFAULT_SYSTEM_PROMPTS } from "../../src/system-prompts.ts";
import { delimiterTagOf } from "../support/caller-text.ts";
import { never, question } from "../support/llm-requests.ts";
import { stubbedBedrockPerTest } from "../support/stubbed-bedrock.ts";

// What BedrockLlmClient sends: the turns, the system prompt, the model and its settings, the guardrail.

const start = stubbedBedrockPerTest();

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
    const tag = delimiterTagOf(stub.requests[0]?.body);
    expect(stub.requests[0]?.body.messages).toEqual([
      { role: "user", content: [{ text: `<${tag}>\nIs this the bakery?\n</${tag}>` }] },
      { role: "assistant", content: [{ text: "Yes, it is." }] },
      { role: "user", content: [{ text: `<${tag}>\nDo you bake rye bread?\n</${tag}>` }] },
      { role: "assistant", content: [{ text: "Every morning." }] },
      { role: "user", content: [{ text: `<${tag}>\nWhat are your opening hours?\n</${tag}>` }] },
    ]);
  });

  it("leaves out a turn with a blank answer so the roles still alternate", async () => {
    // Prepare
    const { stub, client } = await start([answer("Nine to six.")]);
    const history = [{ question: "Hello?", answer: "  " }];

    // Act
    await client.complete(question({ history }), never());

    // Assess
    const tag = delimiterTagOf(stub.requests[0]?.body);
    expect(stub.requests[0]?.body.messages).toEqual([
      { role: "user", content: [{ text: `<${tag}>\nWhat are your opening hours?\n</${tag}>` }] },
    ]);
  });

  it.each(["ja-JP", "en-US"])(
    "sends the phone-call system prompt for %s, then the caller-text rules",
    async (locale) => {
      // Prepare
      const { stub, client } = await start([answer("OK.")]);

      // Act
      await client.complete(question({ locale }), never());

      // Assess
      const tag = delimiterTagOf(stub.requests[0]?.body);
      expect(stub.requests[0]?.body.system).toEqual([
        { text: DEFAULT_SYSTEM_PROMPTS[locale] },
        { text: expect.stringContaining(`<${tag}>`) },
      ]);
    },
  );

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

  it("passes the guardrail and wraps every caller turn, not the answers, as guard content", async () => {
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
    const tag = delimiterTagOf(body);
    const guarded = (text: string) => ({
      guardContent: { text: { text: `<${tag}>\n${text}\n</${tag}>`, qualifiers: ["guard_content"] } },
    });
    expect(body?.messages).toEqual([
      { role: "user", content: [guarded("Hi.")] },
      { role: "assistant", content: [{ text: "Hello." }] },
      { role: "user", content: [guarded("What are your opening hours?")] },
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
