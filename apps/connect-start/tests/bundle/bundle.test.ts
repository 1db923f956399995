import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { LocalLambdaEndpoint } from "@holdline/local-aws/local-lambda-endpoint";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";

type Handler = (event: unknown) => Promise<Record<string, string>>;

describe("connect-start bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let lambda: LocalLambdaEndpoint;
  let handler: Handler;
  let environment: Record<string, string>;

  beforeAll(async () => {
    lambda = await LocalLambdaEndpoint.start();
    environment = {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
      HOLDLINE_WORKER_FUNCTION: "holdline-answer-worker",
      HOLDLINE_LAMBDA_ENDPOINT: lambda.url,
      // The default gap: connect-start registers within its fast-path wait (2.1 s), and a cold bundle's first
      // create on a loaded machine needs more than the 100 ms a 1 s gap would leave.
      HOLDLINE_MAX_SILENCE_MS: "3000",
    };
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, environment));
  });

  afterAll(async () => {
    await lambda?.close();
  });

  it("registers the execution in DynamoDB and dispatches the worker as an Event invocation", async () => {
    // Act
    const first = await handler(connectEvent());
    const retry = await handler(connectEvent());

    // Assess
    expect(first).toMatchObject({ status: "in_progress", turn: "1", nextTurn: "2" });
    expect(retry).toEqual(first);
    expect(lambda.received).toHaveLength(1);
    expect(lambda.received[0]).toMatchObject({
      functionName: "holdline-answer-worker",
      invocationType: "Event",
    });
    expect(JSON.parse(lambda.received[0]?.body ?? "")).toEqual({
      contactId: "2842f992-51fb-4a63-9fcc-3363116d4179",
      turn: 1,
    });
  });

  it("answers error dispatch_failed at once when Lambda denies the Event invocation (HTTP 403)", async () => {
    // Prepare
    const received = lambda.received.length;
    lambda.reply(
      { kind: "error", status: 403, errorType: "AccessDeniedException" },
      { kind: "error", status: 403, errorType: "AccessDeniedException" },
    );
    const event = connectEvent({ contactId: "5d0c3a8e-7b1f-4c2d-9e6a-0f1b2c3d4e5f" });

    // Act
    const response = await handler(event);
    const retry = await handler(event);

    // Assess
    expect(response).toMatchObject({ status: "error", errorCode: "dispatch_failed" });
    expect(retry).toEqual(response);
    expect(lambda.received.length - received).toBe(1);
  });

  it("answers a malformed event with a defined error", async () => {
    expect(await handler({ Name: "ContactFlowEvent" })).toMatchObject({
      status: "error",
      errorCode: "invalid_event",
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
    `registers a turn and dispatches the worker once on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Prepare
      const worker = await LocalLambdaEndpoint.start();
      const event = connectEvent({ contactId: "9b2f4c1e-3a5d-4e6f-8a7b-1c2d3e4f5a6b" });

      // Act
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment: { ...environment, HOLDLINE_LAMBDA_ENDPOINT: worker.url },
        invocations: [
          { event, requestId: "req-1" },
          { event, requestId: "req-2" },
        ],
      });
      await worker.close();

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results).toEqual([
        { ok: true, value: expect.objectContaining({ status: "in_progress", turn: "1", nextTurn: "2" }) },
        { ok: true, value: expect.objectContaining({ status: "in_progress", turn: "1", nextTurn: "2" }) },
      ]);
      expect(worker.received.map((invocation) => invocation.invocationType)).toEqual(["Event"]);
      expect(logContexts(run)).toEqual({ "req-1": "cold start", "req-2": "warm" });
    },
  );
});
