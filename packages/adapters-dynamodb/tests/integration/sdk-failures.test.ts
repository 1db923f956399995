import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { HoldlineError, ItemTooLargeError, StoreUnavailableError } from "@holdline/domain/errors";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { createDynamoDbClient, type DynamoDbClientOptions } from "../../src/dynamodb-client.ts";
import { toStoreError } from "../../src/dynamodb-errors.ts";
import {
  DynamoDbExecutionStore,
  type DynamoDbExecutionStoreOptions,
} from "../../src/dynamodb-execution-store.ts";
import { useLocalExecutionTable } from "../support/local-execution-table.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_STORE_OPTIONS } from "../support/test-timeouts.ts";
import {
  closedPort,
  dynamoDbError,
  type ScriptedEndpoint,
  type ScriptedReply,
  startScriptedEndpoint,
} from "../support/scripted-endpoint.ts";

const KEY = { contactId: "contact-1", turn: 1 };
const table = useLocalExecutionTable();
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const storeAt = (
  endpoint: string,
  client: Partial<DynamoDbClientOptions> = {},
  store: DynamoDbExecutionStoreOptions = TEST_STORE_OPTIONS,
) => {
  const documentClient = createDynamoDbClient({
    endpoint,
    region: "us-east-1",
    credentials: LOCAL_CREDENTIALS,
    ...TEST_CLIENT_TIMEOUTS,
    ...client,
  });
  cleanups.push(() => documentClient.destroy());
  return new DynamoDbExecutionStore(documentClient, "executions", new ManualClock(), store);
};

const scripted = async (reply: (request: number) => ScriptedReply): Promise<ScriptedEndpoint> => {
  const endpoint = await startScriptedEndpoint(reply);
  cleanups.push(() => endpoint.close());
  return endpoint;
};

const timed = async (work: Promise<unknown>) => {
  const started = performance.now();
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  return { error: outcome, elapsedMs: performance.now() - started };
};

describe("DynamoDB failures as the SDK reports them", () => {
  it("reports store_unavailable quickly when nothing listens at the endpoint", async () => {
    // Prepare
    const store = storeAt(`http://127.0.0.1:${await closedPort()}`);

    // Act
    const { error, elapsedMs } = await timed(store.get(KEY));

    // Assess
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: "store_unavailable", retryable: true });
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it("reports store_unavailable when DynamoDB keeps throttling, after the configured attempts", async () => {
    // Prepare
    const endpoint = await scripted(() => dynamoDbError(400, "ProvisionedThroughputExceededException"));
    const store = storeAt(endpoint.url, { maxAttempts: 2 });

    // Act
    const { error } = await timed(store.get(KEY));

    // Assess
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(endpoint.requests).toBe(2);
  });

  it("rides out one throttled attempt with the SDK's retry", async () => {
    // Prepare
    const endpoint = await scripted((request) =>
      request === 1 ? dynamoDbError(400, "ThrottlingException") : { status: 200, body: {} },
    );
    const store = storeAt(endpoint.url);

    // Act
    const read = await store.get(KEY);

    // Assess
    expect(read).toBeUndefined();
    expect(endpoint.requests).toBe(2);
  });

  it("reports store_unavailable on a 500 from DynamoDB", async () => {
    // Prepare
    const endpoint = await scripted(() => dynamoDbError(500, "InternalServerError"));
    const store = storeAt(endpoint.url, { maxAttempts: 2 });

    // Act
    const { error } = await timed(store.get(KEY));

    // Assess
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it("gives up an attempt that gets no answer after the request timeout", async () => {
    // Prepare
    const endpoint = await scripted(() => "hang");
    const store = storeAt(endpoint.url, { requestTimeoutMs: 200, maxAttempts: 1 });

    // Act
    const { error, elapsedMs } = await timed(store.get(KEY));

    // Assess
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(elapsedMs).toBeLessThan(1_500);
  });

  it("ends a whole call, retries included, at the store's operation timeout", async () => {
    // Prepare
    const endpoint = await scripted(() => "hang");
    const store = storeAt(
      endpoint.url,
      { requestTimeoutMs: 5_000, maxAttempts: 3 },
      { operationTimeoutMs: 300 },
    );

    // Act
    const { error, elapsedMs } = await timed(store.get(KEY));

    // Assess
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(elapsedMs).toBeLessThan(1_500);
  });

  it("reports a missing table as a non-retryable internal_error", async () => {
    // Prepare
    const store = new DynamoDbExecutionStore(
      table.client,
      "no-such-table",
      new ManualClock(),
      TEST_STORE_OPTIONS,
    );

    // Act
    const { error } = await timed(store.get(KEY));

    // Assess
    expect(error).toBeInstanceOf(HoldlineError);
    expect(error).toMatchObject({ code: "internal_error", retryable: false });
  });
});

describe("dynalite's refusal of items over 400 KB", () => {
  // The store refuses these before sending; here the requests bypass it to pin what the server says.
  const oversized = "x".repeat(410 * 1024);

  it("maps PutItem's ValidationException to item_too_large", async () => {
    // Prepare
    const put = table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { ...KEY, answer: oversized } }),
    );

    // Act
    const mapped = await put.then(
      () => undefined,
      (error: unknown) => toStoreError(error, "create"),
    );

    // Assess
    expect(mapped).toBeInstanceOf(ItemTooLargeError);
  });

  it("maps UpdateItem's ValidationException to item_too_large", async () => {
    // Prepare
    const update = table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { contactId: "contact-2", turn: 1 },
        UpdateExpression: "SET answer = :answer",
        ExpressionAttributeValues: { ":answer": oversized },
      }),
    );

    // Act
    const mapped = await update.then(
      () => undefined,
      (error: unknown) => toStoreError(error, "transition"),
    );

    // Assess
    expect(mapped).toBeInstanceOf(ItemTooLargeError);
  });
});
