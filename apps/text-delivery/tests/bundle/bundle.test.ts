import { readFileSync } from "node:fs";
import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { DynamoDbTextDeliveryStore } from "@holdline/adapters-dynamodb/dynamodb-text-delivery-store";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { TEST_STORE_OPTIONS } from "@holdline/adapters-dynamodb/testing/test-timeouts";
import { claim, complete, newExecution } from "@holdline/domain/execution/execution";
import { callerLeft, consent, type DeliveryView } from "@holdline/domain/text-delivery/text-delivery";
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { SmsVoiceStub } from "@holdline/local-aws/sms-voice-stub";
import type { DynamoDBBatchResponse } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamEvent, streamRecord, withKeys } from "../support/stream-records.ts";

type Handler = (event: unknown) => Promise<DynamoDBBatchResponse>;
const KEY = { contactId: "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b", turn: 1 };
const PHONE = "+819012345678";
const ANSWER = "平日は九時から十八時までです。";
const IDENTITY = "pool-holdline";
const clock = { now: () => Date.now(), sleep: async () => undefined };

describe("text-delivery bundle", { timeout: 20_000 }, () => {
  const table = useLocalExecutionTable();
  let sms: SmsVoiceStub;
  let handler: Handler;
  let environment: Record<string, string>;

  beforeAll(async () => {
    sms = await SmsVoiceStub.start({ originationIdentities: [IDENTITY] });
    environment = {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
      HOLDLINE_SMS_ORIGINATION_IDENTITY: IDENTITY,
      HOLDLINE_SMS_ENDPOINT: sms.url,
    };
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, environment));
  });

  afterAll(async () => {
    await sms?.close();
  });

  it("sends the answer through the SMS API once for a duplicated record, and records it sent in DynamoDB", async () => {
    // Prepare: a turn whose caller consented and left, then completed, as the stores write it.
    const store = new DynamoDbExecutionStore(table.client, table.tableName, clock, TEST_STORE_OPTIONS);
    const deliveries = new DynamoDbTextDeliveryStore(
      table.client,
      table.tableName,
      clock,
      TEST_STORE_OPTIONS,
    );
    const now = Date.now();
    const { execution: queued } = await store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "営業時間は？", locale: "ja-JP" },
        now,
        deadlineMs: 60_000,
        retentionSeconds: 3_600,
      }),
    );
    const running = await store.transition(claim(queued, { now, leaseMs: 30_000, maxAttempts: 2 }), queued);
    const consented = await deliveries.writeDelivery(KEY, consent({ to: PHONE, now }), {
      expectedRevision: 0,
    });
    const due = callerLeft(consented, now);
    if (due === undefined) throw new Error("not due");
    await deliveries.writeDelivery(KEY, due, { expectedRevision: consented.revision });
    const before = (await deliveries.readDelivery(KEY)) as DeliveryView;
    await store.transition(complete(running, { now, answer: ANSWER }), running);
    const after = (await deliveries.readDelivery(KEY)) as DeliveryView;
    const record = streamRecord(before, after);

    // Act
    const response = await handler(streamEvent(record, record));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sms.messages).toEqual([
      expect.objectContaining({
        to: PHONE,
        originationIdentity: IDENTITY,
        body: expect.stringContaining(ANSWER),
      }),
    ]);
    expect((await deliveries.readDelivery(KEY))?.delivery).toMatchObject({
      state: "sent",
      messageId: sms.messages[0]?.messageId,
    });
  });

  it("contains the SMS and DynamoDB clients, and no Lambda or Bedrock client", () => {
    const meta = JSON.parse(readFileSync(`${import.meta.dirname}/../../dist/meta.json`, "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const inputs = Object.keys(meta.inputs);

    expect(inputs.some((input) => input.includes("client-pinpoint-sms-voice-v2"))).toBe(true);
    expect(inputs.some((input) => input.includes("client-dynamodb"))).toBe(true);
    for (const client of ["client-lambda", "client-bedrock-runtime"]) {
      expect(inputs.filter((input) => input.includes(client))).toEqual([]);
    }
  });

  it.runIf(lambdaNodeBinary() !== undefined)(
    `lets records with unreadable keys through on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Act
      const unreadable = (n: number) =>
        streamEvent(withKeys({ eventID: `e${n}`, dynamodb: { SequenceNumber: `${n}` } }, { pk: { S: "x" } }));
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment,
        invocations: [
          { event: unreadable(1), requestId: "req-1" },
          { event: unreadable(2), requestId: "req-2" },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results).toEqual([
        { ok: true, value: { batchItemFailures: [] } },
        { ok: true, value: { batchItemFailures: [] } },
      ]);
      expect(logContexts(run)).toEqual({ "req-1": "cold start", "req-2": "warm" });
    },
  );
});
