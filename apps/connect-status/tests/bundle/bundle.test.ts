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
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";

type Handler = (event: unknown) => Promise<Record<string, string>>;
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };

describe("connect-status bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let lambda: LocalLambdaEndpoint;
  let store: DynamoDbExecutionStore;
  let handler: Handler;
  let environment: Record<string, string>;

  beforeAll(async () => {
    lambda = await LocalLambdaEndpoint.start();
    store = new DynamoDbExecutionStore(table.client, table.tableName, new SystemClock(), TEST_STORE_OPTIONS);
    environment = {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
      HOLDLINE_WORKER_FUNCTION: "holdline-answer-worker",
      HOLDLINE_LAMBDA_ENDPOINT: lambda.url,
      HOLDLINE_MAX_SILENCE_MS: "1000",
    };
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, environment));
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
      answerParts: "",
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

  it.runIf(lambdaNodeBinary() !== undefined)(
    `answers a turn never started on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Act
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment,
        invocations: [
          { event: connectEvent({ contactId: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f" }), requestId: "req-1" },
          { event: connectEvent({ contactId: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f" }), requestId: "req-2" },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results).toEqual([
        { ok: true, value: expect.objectContaining({ status: "error", errorCode: "execution_not_found" }) },
        { ok: true, value: expect.objectContaining({ status: "error", errorCode: "execution_not_found" }) },
      ]);
      expect(logContexts(run)).toEqual({ "req-1": "cold start", "req-2": "warm" });
    },
  );
});
