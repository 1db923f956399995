import { describe, expect, it } from "vitest";
import { createBedrockClient } from "../../src/bedrock-client.factory.ts";
import { TEST_BEDROCK_TIMEOUTS } from "../support/test-timeouts.ts";

const options = {
  region: "ap-northeast-1",
  credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
  ...TEST_BEDROCK_TIMEOUTS,
};

describe("createBedrockClient", () => {
  it("turns the SDK's own retries off so the adapter's are the only ones", async () => {
    // Prepare
    const client = createBedrockClient(options);

    // Act
    const maxAttempts = await client.config.maxAttempts();

    // Assess
    expect(maxAttempts).toBe(1);
    client.destroy();
  });

  it("keeps the SDK's default HTTP/2 request handler", () => {
    // Prepare
    const client = createBedrockClient(options);

    // Act
    const handler = client.config.requestHandler as { metadata?: { handlerProtocol?: string } };

    // Assess
    expect(handler.metadata?.handlerProtocol).toBe("h2");
    client.destroy();
  });
});
