import { SystemClock } from "@holdline/adapters-node/system-clock";
import { BedrockStub, type StubScript } from "@holdline/local-aws/bedrock-stub";
import { afterEach } from "vitest";
import { createBedrockClient } from "../../src/bedrock-client.factory.ts";
import { BedrockLlmClient, type BedrockLlmClientOptions } from "../../src/bedrock-llm-client.ts";
import { TEST_BEDROCK_TIMEOUTS } from "./test-timeouts.ts";

export const MODEL_ID = "jp.anthropic.claude-sonnet-4-5-20250929-v1:0";

/** Retries fast enough for tests; jitter pinned to half the cap. */
export const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 80 } as const;

export interface StubbedBedrock {
  readonly stub: BedrockStub;
  readonly client: BedrockLlmClient;
  dispose(): Promise<void>;
}

/** The production SDK client (default HTTP/2 handler) pointed at a stub on loopback, with dummy credentials. */
export async function stubbedBedrock(
  script: StubScript,
  options: Partial<Omit<BedrockLlmClientOptions, "client">> & { readonly requestTimeoutMs?: number } = {},
): Promise<StubbedBedrock> {
  const { requestTimeoutMs = 5_000, ...clientOptions } = options;
  const stub = await BedrockStub.start(script);
  const sdk = createBedrockClient({
    region: "ap-northeast-1",
    endpoint: stub.url,
    credentials: { accessKeyId: "AKIDSTUB", secretAccessKey: "stub-secret" },
    requestTimeoutMs,
    sessionTimeoutMs: TEST_BEDROCK_TIMEOUTS.sessionTimeoutMs,
  });
  const client = new BedrockLlmClient({
    client: sdk,
    clock: new SystemClock(),
    modelId: MODEL_ID,
    retry: FAST_RETRY,
    random: () => 0.5,
    ...clientOptions,
  });
  return {
    stub,
    client,
    dispose: async () => {
      sdk.destroy();
      await stub.close();
    },
  };
}

/**
 * `start(...)`, which starts a stubbed Bedrock as `stubbedBedrock` does; the one started last is disposed of
 * after each test, by an `afterEach` this registers in the calling file.
 */
export function stubbedBedrockPerTest(): (
  ...args: Parameters<typeof stubbedBedrock>
) => Promise<StubbedBedrock> {
  let subject: StubbedBedrock | undefined;
  afterEach(async () => {
    await subject?.dispose();
    subject = undefined;
  });
  return async (...args) => {
    subject = await stubbedBedrock(...args);
    return subject;
  };
}
