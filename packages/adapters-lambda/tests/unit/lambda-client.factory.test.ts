import { describe, expect, it } from "vitest";
import { createLambdaClient } from "../../src/lambda-client.factory.ts";
import { TEST_CLIENT_TIMEOUTS } from "../support/test-timeouts.ts";

describe("createLambdaClient", () => {
  it("bounds the SDK's attempts to the configured number", async () => {
    // Prepare
    const client = createLambdaClient({ ...TEST_CLIENT_TIMEOUTS, region: "ap-northeast-1", maxAttempts: 2 });

    // Act
    const maxAttempts = await client.config.maxAttempts();

    // Assess
    expect(maxAttempts).toBe(2);
    client.destroy();
  });

  it("refuses timeouts whose attempts cannot finish inside Connect's 8 s block", () => {
    // Prepare
    const options = { ...TEST_CLIENT_TIMEOUTS, maxAttempts: 3, requestTimeoutMs: 3_000 };

    // Act
    const build = () => createLambdaClient(options);

    // Assess
    expect(build).toThrow(/requestTimeoutMs: .*8 s/);
  });

  it("refuses more than three attempts, naming the field", () => {
    // Prepare
    const options = { ...TEST_CLIENT_TIMEOUTS, maxAttempts: 5 };

    // Act
    const build = () => createLambdaClient(options);

    // Assess
    expect(build).toThrow(/maxAttempts/);
  });
});
