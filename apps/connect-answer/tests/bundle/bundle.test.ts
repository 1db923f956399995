import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { BedrockStub } from "@holdline/local-aws/bedrock-stub";
import { answer } from "@holdline/local-aws/bedrock-stub-script";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";

type Handler = (event: unknown) => Promise<Record<string, string>>;

describe("connect-answer bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let bedrock: BedrockStub;
  let handler: Handler;
  let environment: Record<string, string>;

  beforeAll(async () => {
    bedrock = await BedrockStub.start([answer("朝9時から夜7時まで営業しています。", { latencyMs: 100 })]);
    environment = {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
      HOLDLINE_BEDROCK_MODEL_ID: "apac.anthropic.claude-3-haiku-20240307-v1:0",
      HOLDLINE_BEDROCK_ENDPOINT: bedrock.url,
      HOLDLINE_BEDROCK_API: "converse-stream",
    };
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, environment));
  });

  afterAll(async () => {
    await bedrock?.close();
  });

  it("answers within the invocation, and a Connect retry gets the same answer without a second model call", async () => {
    const first = await handler(connectEvent());
    const retry = await handler(connectEvent());

    expect(first).toMatchObject({
      status: "completed",
      answer: "朝9時から夜7時まで営業しています。",
      nextTurn: "2",
    });
    expect(retry).toEqual(first);
    expect(bedrock.calls).toBe(1);
  });

  it.runIf(lambdaNodeBinary() !== undefined)(
    `refuses an event that is not Connect's on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Act
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment,
        invocations: [
          { event: { Name: "ContactFlowEvent" }, requestId: "req-1" },
          { event: { Name: "ContactFlowEvent" }, requestId: "req-2" },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results).toEqual([
        { ok: true, value: expect.objectContaining({ status: "error", errorCode: "invalid_event" }) },
        { ok: true, value: expect.objectContaining({ status: "error", errorCode: "invalid_event" }) },
      ]);
      expect(logContexts(run)).toEqual({ "req-1": "cold start", "req-2": "warm" });
    },
  );
});
