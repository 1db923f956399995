import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { TEST_STORE_OPTIONS } from "@holdline/adapters-dynamodb/testing/test-timeouts";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import { claim, complete, newExecution } from "@holdline/domain/execution/execution";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { LocalLambdaEndpoint } from "@holdline/local-aws/local-lambda-endpoint";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Handler = (event: unknown) => Promise<Record<string, string>>;
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };

describe("connect-status bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let lambda: LocalLambdaEndpoint;
  let store: DynamoDbExecutionStore;
  let handler: Handler;

  beforeAll(async () => {
    lambda = await LocalLambdaEndpoint.start();
    store = new DynamoDbExecutionStore(table.client, table.tableName, new SystemClock(), TEST_STORE_OPTIONS);
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
      HOLDLINE_WORKER_FUNCTION: "holdline-answer-worker",
      HOLDLINE_LAMBDA_ENDPOINT: lambda.url,
      HOLDLINE_MAX_SILENCE_MS: "1000",
    }));
  });

  afterAll(async () => {
    await lambda?.close();
  });

  it("answers execution_not_found for a turn never started", async () => {
    expect(await handler(connectEvent())).toMatchObject({
      status: "error",
      errorCode: "execution_not_found",
    });
  });

  it("reads the answer the worker stored in DynamoDB", async () => {
    // Prepare
    const now = Date.now();
    const queued = (
      await store.createIfAbsent(
        newExecution({
          key: KEY,
          input: { question: "営業時間は？", locale: "ja-JP" },
          now,
          deadlineMs: 60_000,
          retentionSeconds: 3_600,
        }),
      )
    ).execution;
    const running = await store.transition(claim(queued, { now, leaseMs: 30_000, maxAttempts: 3 }), queued);
    await store.transition(complete(running, { now, answer: "9時から19時です。" }), running);

    // Act
    const response = await handler(connectEvent());

    // Assess
    expect(response).toEqual({
      status: "completed",
      answer: "9時から19時です。",
      errorCode: "",
      cursor: "",
      errorPrompt: "",
      turn: "1",
      nextTurn: "2",
    });
  });

  it("contains no Bedrock client: a Connect-facing function never calls the model", () => {
    const meta = JSON.parse(readFileSync(`${import.meta.dirname}/../../dist/meta.json`, "utf8")) as {
      inputs: Record<string, unknown>;
    };

    expect(Object.keys(meta.inputs).filter((input) => input.includes("client-bedrock-runtime"))).toEqual([]);
    expect(Object.keys(meta.inputs).some((input) => input.includes("client-dynamodb"))).toBe(true);
  });
});
