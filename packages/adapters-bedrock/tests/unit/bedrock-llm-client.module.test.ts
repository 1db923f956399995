import { SystemClock } from "@holdline/adapters-node/system-clock";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { BedrockLlmClient } from "../../src/bedrock-llm-client.ts";
import { BedrockRuntimeClientId, bedrockLlmClientModule } from "../../src/bedrock-llm-client.module.ts";
import { TEST_BEDROCK_TIMEOUTS } from "../support/test-timeouts.ts";

const config = {
  client: {
    region: "ap-northeast-1",
    credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
    ...TEST_BEDROCK_TIMEOUTS,
  },
  llm: { modelId: "jp.anthropic.claude-haiku-4-5-20251001-v1:0" },
};

describe("bedrockLlmClientModule", () => {
  it("binds the LLM client port to the Bedrock adapter", async () => {
    // Prepare
    const container = new Container();
    container.bind(ClockId).toConstantValue(new SystemClock());
    await container.load(bedrockLlmClientModule(config));

    // Act
    const client = container.get(LlmClientId);

    // Assess
    expect(client).toBeInstanceOf(BedrockLlmClient);
    container.get(BedrockRuntimeClientId).destroy();
  });

  it("builds one SDK client per container", async () => {
    // Prepare
    const container = new Container();
    container.bind(ClockId).toConstantValue(new SystemClock());
    await container.load(bedrockLlmClientModule(config));

    // Act
    const first = container.get(BedrockRuntimeClientId);
    const second = container.get(BedrockRuntimeClientId);

    // Assess
    expect(second).toBe(first);
    first.destroy();
  });
});
