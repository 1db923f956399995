import { readFileSync } from "node:fs";
import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { DynamoDbTextDeliveryStore } from "@holdline/adapters-dynamodb/dynamodb-text-delivery-store";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { TEST_STORE_OPTIONS } from "@holdline/adapters-dynamodb/testing/test-timeouts";
import { newExecution } from "@holdline/domain/execution/execution";
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";

type Handler = (event: unknown) => Promise<Record<string, string>>;
const KEY = { contactId: "5b0e7c1a-2d3f-4e5a-8b6c-7d8e9f0a1b2c", turn: 1 };
const PHONE = "+819012345678";
const clock = { now: () => Date.now(), sleep: async () => undefined };

const offerEvent = (contactId: string) => {
  const event = connectEvent({ contactId, parameters: { turn: "1", locale: "ja-JP", cursor: "0" } });
  (event.Details.ContactData as unknown as Record<string, unknown>).CustomerEndpoint = {
    Address: PHONE,
    Type: "TELEPHONE_NUMBER",
  };
  return event;
};

describe("connect-text-offer bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let handler: Handler;
  let environment: Record<string, string>;

  beforeAll(async () => {
    environment = {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
    };
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, environment));
  });

  it("records the caller's consent and number on the execution in DynamoDB", async () => {
    // Prepare
    const store = new DynamoDbExecutionStore(table.client, table.tableName, clock, TEST_STORE_OPTIONS);
    const deliveries = new DynamoDbTextDeliveryStore(
      table.client,
      table.tableName,
      clock,
      TEST_STORE_OPTIONS,
    );
    await store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "営業時間は？", locale: "ja-JP" },
        now: Date.now(),
        deadlineMs: 60_000,
        retentionSeconds: 3_600,
      }),
    );

    // Act
    const response = await handler(offerEvent(KEY.contactId));

    // Assess
    expect(response).toEqual({
      status: "in_progress",
      answer: "",
      errorCode: "",
      cursor: "0",
      answerParts: "0",
      errorPrompt: "",
      turn: "1",
      nextTurn: "2",
      textOffer: "accepted",
    });
    expect((await deliveries.readDelivery(KEY))?.delivery).toMatchObject({ state: "consented", to: PHONE });
  });

  it("contains no SMS, Lambda or Bedrock client: it only records the consent", () => {
    const meta = JSON.parse(readFileSync(`${import.meta.dirname}/../../dist/meta.json`, "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);

    for (const client of ["client-pinpoint-sms-voice-v2", "client-lambda", "client-bedrock-runtime"]) {
      expect(inputs.filter((input) => input.includes(client))).toEqual([]);
    }
    expect(inputs.some((input) => input.includes("client-dynamodb"))).toBe(true);
  });

  it.runIf(lambdaNodeBinary() !== undefined)(
    `answers failed for a turn never started on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Act
      const contactId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment,
        invocations: [
          { event: offerEvent(contactId), requestId: "req-1" },
          { event: offerEvent(contactId), requestId: "req-2" },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      const failed = expect.objectContaining({ textOffer: "failed", errorCode: "execution_not_found" });
      expect(run.results).toEqual([
        { ok: true, value: failed },
        { ok: true, value: failed },
      ]);
      expect(logContexts(run)).toEqual({ "req-1": "cold start", "req-2": "warm" });
      expect(JSON.stringify(run)).not.toContain("9012345678");
    },
  );
});
