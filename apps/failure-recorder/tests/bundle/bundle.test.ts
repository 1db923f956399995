import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { TEST_STORE_OPTIONS } from "@holdline/adapters-dynamodb/testing/test-timeouts";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import { newExecution } from "@holdline/domain/execution/execution";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import type { SQSBatchResponse } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";

type Handler = (event: unknown) => Promise<SQSBatchResponse>;
const KEY = { contactId: "6a1d2c4e-0f6b-4b7e-9d0e-2a8f3c5b7d91", turn: 1 };

describe("failure-recorder bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let store: DynamoDbExecutionStore;
  let handler: Handler;
  let environment: Record<string, string>;

  beforeAll(async () => {
    store = new DynamoDbExecutionStore(table.client, table.tableName, new SystemClock(), TEST_STORE_OPTIONS);
    environment = {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
    };
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, environment));
  });

  it("fails the execution in DynamoDB from the on-failure destination's record", async () => {
    // Prepare
    await store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "q", locale: "en-US" },
        now: Date.now(),
        deadlineMs: 60_000,
        retentionSeconds: 3_600,
      }),
    );
    const body = JSON.stringify({
      version: "1.0",
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: "r-1",
        functionArn: "arn:aws:lambda:us-east-1:111122223333:function:w",
        condition: "RetriesExhausted",
        approximateInvokeCount: 3,
      },
      requestPayload: KEY,
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: { errorType: "Error", errorMessage: "boom" },
    });

    // Act
    const response = await handler({
      Records: [
        {
          messageId: "m-1",
          body,
          receiptHandle: "h",
          attributes: {},
          messageAttributes: {},
          md5OfBody: "",
          eventSource: "aws:sqs",
          eventSourceARN: "arn:aws:sqs:us-east-1:111122223333:q",
          awsRegion: "us-east-1",
        },
      ],
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await store.get(KEY)).toMatchObject({ status: "failed", error: { code: "worker_failed" } });
  });

  it.runIf(lambdaNodeBinary() !== undefined)(
    `returns a record that is not an invocation record to the queue on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Act
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment,
        invocations: [
          {
            event: { Records: [{ messageId: "m-1", body: "not json", attributes: {} }] },
            requestId: "req-1",
          },
          {
            event: { Records: [{ messageId: "m-2", body: "not json", attributes: {} }] },
            requestId: "req-2",
          },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results).toEqual([
        { ok: true, value: { batchItemFailures: [{ itemIdentifier: "m-1" }] } },
        { ok: true, value: { batchItemFailures: [{ itemIdentifier: "m-2" }] } },
      ]);
      expect(logContexts(run)).toEqual({ "req-1": "cold start", "req-2": "warm" });
    },
  );
});
