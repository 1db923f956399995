import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { BedrockStub } from "@holdline/local-aws/bedrock-stub";
import { answer } from "@holdline/local-aws/bedrock-stub-script";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Handler = (event: unknown) => Promise<Record<string, string>>;

describe("connect-answer bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let bedrock: BedrockStub;
  let handler: Handler;

  beforeAll(async () => {
    bedrock = await BedrockStub.start([answer("朝9時から夜7時まで営業しています。", { latencyMs: 100 })]);
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
      HOLDLINE_BEDROCK_MODEL_ID: "apac.anthropic.claude-3-haiku-20240307-v1:0",
      HOLDLINE_BEDROCK_ENDPOINT: bedrock.url,
      HOLDLINE_BEDROCK_API: "converse-stream",
    }));
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
});
