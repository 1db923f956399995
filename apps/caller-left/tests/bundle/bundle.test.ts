import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { DynamoDbTextDeliveryStore } from "@holdline/adapters-dynamodb/dynamodb-text-delivery-store";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { TEST_STORE_OPTIONS } from "@holdline/adapters-dynamodb/testing/test-timeouts";
import { newExecution } from "@holdline/domain/execution/execution";
import { consent } from "@holdline/domain/text-delivery/text-delivery";
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { CONTACT_ID, contactEvent } from "../support/contact-event.builder.ts";

type Handler = (event: unknown) => Promise<void>;
const KEY = { contactId: CONTACT_ID, turn: 1 };
const clock = { now: () => Date.now(), sleep: async () => undefined };

describe("caller-left bundle", { timeout: 20_000 }, () => {
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

  it("makes the consented delivery due in DynamoDB on DISCONNECTED", async () => {
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
        input: { question: "q", locale: "ja-JP" },
        now: Date.now(),
        deadlineMs: 60_000,
        retentionSeconds: 3_600,
      }),
    );
    await deliveries.writeDelivery(KEY, consent({ to: "+819012345678", now: Date.now() }), {
      expectedRevision: 0,
    });

    // Act
    await handler(contactEvent());

    // Assess
    expect((await deliveries.readDelivery(KEY))?.delivery).toMatchObject({ state: "due" });
  });

  it.runIf(lambdaNodeBinary() !== undefined)(
    `ignores other events and drops malformed ones on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Act
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment,
        invocations: [
          { event: contactEvent({ eventType: "QUEUED" }), requestId: "req-1" },
          { event: { source: "aws.connect" }, requestId: "req-2" },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results.map((result) => result.ok)).toEqual([true, true]);
      expect(logContexts(run)).toEqual({ "req-2": "warm" });
    },
  );
});
