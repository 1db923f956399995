import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { TEST_STORE_OPTIONS } from "@holdline/adapters-dynamodb/testing/test-timeouts";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import { BedrockStub } from "@holdline/local-aws/bedrock-stub";
import { answer } from "@holdline/local-aws/bedrock-stub-script";
import { newExecution } from "@holdline/domain/execution/execution";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";

type Handler = (event: unknown) => Promise<{ outcome: string }>;

describe("answer-worker bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let bedrock: BedrockStub;
  let store: DynamoDbExecutionStore;
  let handler: Handler;
  let environment: Record<string, string>;

  beforeAll(async () => {
    bedrock = await BedrockStub.start([answer("We open at **nine** in the morning.", { latencyMs: 50 })]);
    store = new DynamoDbExecutionStore(table.client, table.tableName, new SystemClock(), TEST_STORE_OPTIONS);
    environment = {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
      HOLDLINE_BEDROCK_MODEL_ID: "anthropic.claude-3-haiku-20240307-v1:0",
      HOLDLINE_BEDROCK_ENDPOINT: bedrock.url,
    };
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, environment));
  });

  afterAll(async () => {
    await bedrock?.close();
  });

  it("claims the execution in DynamoDB, asks Bedrock once and stores a speakable answer", async () => {
    // Prepare
    const key = { contactId: "0b7c3b54-6f0e-4c43-9a57-3f0f1c1f6e01", turn: 1 };
    await store.createIfAbsent(
      newExecution({
        key,
        input: { question: "When do you open?", locale: "en-US" },
        now: Date.now(),
        deadlineMs: 60_000,
        retentionSeconds: 3_600,
      }),
    );

    // Act
    const first = await handler({ ...key });
    const duplicate = await handler({ ...key });

    // Assess
    expect(first).toEqual({ outcome: "completed" });
    expect(duplicate).toEqual({ outcome: "skipped" });
    expect(bedrock.calls).toBe(1);
    expect(await store.get(key)).toMatchObject({
      status: "completed",
      answer: "We open at nine in the morning.",
    });
  });

  it.runIf(lambdaNodeBinary() !== undefined)(
    `drops a payload that is not a worker payload on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Act
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment,
        invocations: [
          { event: { not: "a worker payload" }, requestId: "req-1" },
          { event: { not: "a worker payload" }, requestId: "req-2" },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results).toEqual([
        { ok: true, value: { outcome: "invalid_payload" } },
        { ok: true, value: { outcome: "invalid_payload" } },
      ]);
      expect(logContexts(run)).toEqual({ "req-1": "cold start", "req-2": "warm" });
    },
  );
});
