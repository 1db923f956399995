import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FaultProxy } from "../../src/fault-proxy.ts";
import { freshTableName, type LocalDynamoDb, startLocalDynamoDb } from "../../src/local-dynamodb.ts";

/**
 * The DynamoDB client as Holdline's adapter builds it (`createDynamoDbClient`), with the budget's timeouts:
 * 1 s to connect, 1.5 s per attempt, thrown on timeout, kept-alive sockets. This package may not import the
 * adapter (the adapter's tests import this package), so the settings are repeated here.
 */
const ADAPTER_TIMEOUTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 1_500 } as const;

let dynamodb: LocalDynamoDb;
let proxy: FaultProxy;
const tableName = freshTableName("fault-proxy");
const clients: DynamoDBClient[] = [];

const client = (maxAttempts: number) => {
  const created = new DynamoDBClient({
    endpoint: proxy.url,
    region: dynamodb.region,
    credentials: dynamodb.credentials,
    maxAttempts,
    requestHandler: {
      connectionTimeout: ADAPTER_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: ADAPTER_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: 50 },
    },
  });
  clients.push(created);
  return created;
};
/** Reads past the proxy, so a fault cannot hide what the server holds. */
const direct = () => {
  const created = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: dynamodb.region,
    credentials: dynamodb.credentials,
  });
  clients.push(created);
  return created;
};
const stored = async (id: string) =>
  (await direct().send(new GetItemCommand({ TableName: tableName, Key: { id: { S: id } } }))).Item;

const createIfAbsent = (id: string): PutItemCommandInput => ({
  TableName: tableName,
  Item: { id: { S: id }, status: { S: "queued" } },
  ConditionExpression: "attribute_not_exists(id)",
});
const increment = (id: string) =>
  new UpdateItemCommand({
    TableName: tableName,
    Key: { id: { S: id } },
    UpdateExpression: "ADD hits :one",
    ExpressionAttributeValues: { ":one": { N: "1" } },
  });
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error as Error & { code?: string },
  );
const timed = async <T>(work: () => Promise<T>) => {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
};

beforeAll(async () => {
  dynamodb = await startLocalDynamoDb({
    tables: [
      {
        TableName: tableName,
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      },
    ],
  });
});

afterAll(async () => {
  await dynamodb?.stop();
});

afterEach(async () => {
  for (const created of clients.splice(0)) created.destroy();
  await proxy?.close();
});

describe("FaultProxy in front of dynalite, with the real DynamoDB client", { timeout: 15_000 }, () => {
  const start = async () => {
    proxy = await FaultProxy.start({ target: dynamodb.endpoint });
    return proxy;
  };

  it("passes requests through unchanged and records each one's operation and outcome", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();

    // Act
    await client(2).send(new PutItemCommand(createIfAbsent(id)));
    const { Item } = await client(2).send(
      new GetItemCommand({ TableName: tableName, Key: { id: { S: id } }, ConsistentRead: true }),
    );

    // Assess
    expect(Item?.status?.S).toBe("queued");
    expect(proxy.records.map((record) => [record.operation, record.outcome, record.status])).toEqual([
      ["PutItem", "replied", 200],
      ["GetItem", "replied", 200],
    ]);
    expect(proxy.records[0]).toMatchObject({
      protocol: "http/1.1",
      method: "POST",
      target: "DynamoDB_20120810.PutItem",
      forwarded: true,
      fault: undefined,
    });
    expect(JSON.parse(proxy.records[0]?.body ?? "{}")).toMatchObject({ Item: { id: { S: id } } });
  });

  it("delay under the request timeout: the client gets the reply that much later", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.inject({ match: { operation: "PutItem" }, fault: { kind: "delay", ms: 600 } });

    // Act
    const { ms } = await timed(() => client(1).send(new PutItemCommand(createIfAbsent(id))));

    // Assess
    expect(ms).toBeGreaterThanOrEqual(600);
    expect(await stored(id)).toBeDefined();
    expect(proxy.recordsOf("PutItem")[0]).toMatchObject({ fault: "delay", outcome: "replied" });
  });

  it("delay past the request timeout on a conditional put: the write applied, the client's retry reports a lost race", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.inject({ match: { operation: "PutItem" }, fault: { kind: "delay", ms: 2_000 } });

    // Act
    const error = await failureOf(client(2).send(new PutItemCommand(createIfAbsent(id))));

    // Assess: this is the shape of the stranded turn in issue 15 (item 1).
    expect(error.name).toBe("ConditionalCheckFailedException");
    expect(await stored(id)).toBeDefined();
    expect(proxy.recordsOf("PutItem").map((record) => record.fault)).toEqual(["delay", undefined]);
  });

  it("drop after forwarding: the item exists, the client times out at its request timeout", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.inject({ match: { operation: "PutItem" }, fault: { kind: "drop" } });

    // Act
    const { result: error, ms } = await timed(() =>
      failureOf(client(1).send(new PutItemCommand(createIfAbsent(id)))),
    );

    // Assess
    expect(error.name).toBe("TimeoutError");
    expect(ms).toBeGreaterThanOrEqual(ADAPTER_TIMEOUTS.requestTimeoutMs - 50);
    expect(await stored(id)).toBeDefined();
    const [record] = proxy.recordsOf("PutItem");
    expect(record).toMatchObject({ fault: "drop", forwarded: true, outcome: "dropped", status: 200 });
    // The connection was held open until the client gave up on it.
    await expect.poll(() => record?.clientGaveUpAt).toBeDefined();
    expect((record?.clientGaveUpAt ?? 0) - (record?.at ?? 0)).toBeGreaterThanOrEqual(1_400);
  });

  it("drop and close: the item exists, the client hears the socket close at once", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.inject({ match: { operation: "PutItem" }, fault: { kind: "drop", close: true } });

    // Act
    const { result: error, ms } = await timed(() =>
      failureOf(client(1).send(new PutItemCommand(createIfAbsent(id)))),
    );

    // Assess
    // The SDK names it TimeoutError too, but with the socket's code and no wait.
    expect(error).toMatchObject({ code: "ECONNRESET", message: "socket hang up" });
    expect(ms).toBeLessThan(1_000);
    expect(await stored(id)).toBeDefined();
  });

  it("reset after forwarding: the update applied; the SDK's retry applies it again", async () => {
    // Prepare
    await start();
    const once = crypto.randomUUID();
    const retried = crypto.randomUUID();
    proxy.inject({ match: { operation: "UpdateItem" }, fault: { kind: "reset" }, count: 2 });

    // Act
    const error = await failureOf(client(1).send(increment(once)));
    await client(2).send(increment(retried));

    // Assess
    expect(error.code ?? error.name).toBe("ECONNRESET");
    expect((await stored(once))?.hits?.N).toBe("1");
    expect((await stored(retried))?.hits?.N).toBe("2");
    expect(proxy.recordsOf("UpdateItem").map((record) => record.outcome)).toEqual([
      "reset",
      "reset",
      "replied",
    ]);
  });

  it("reset before forwarding: nothing applied", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.inject({ match: { operation: "UpdateItem" }, fault: { kind: "reset", beforeForward: true } });

    // Act
    const error = await failureOf(client(1).send(increment(id)));

    // Assess
    expect(error.code ?? error.name).toBe("ECONNRESET");
    expect(await stored(id)).toBeUndefined();
    expect(proxy.recordsOf("UpdateItem")[0]).toMatchObject({ forwarded: false, outcome: "reset" });
  });

  it("refuse: the request is not applied, every attempt is refused, then connections are accepted again", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.inject({ match: { operation: "PutItem" }, fault: { kind: "refuse", forMs: 1_000 } });

    // Act
    const { result: error, ms } = await timed(() =>
      failureOf(client(2).send(new PutItemCommand(createIfAbsent(id)))),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await client(1).send(new PutItemCommand(createIfAbsent(`${id}-later`)));

    // Assess
    expect(error.code).toBe("ECONNREFUSED");
    expect(ms).toBeLessThan(1_000);
    expect(await stored(id)).toBeUndefined();
    expect(await stored(`${id}-later`)).toBeDefined();
    expect(proxy.recordsOf("PutItem").map((record) => record.outcome)).toEqual(["refused", "replied"]);
  });

  it("refuse globally until accept()", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.refuse();

    // Act
    const error = await failureOf(client(1).send(new PutItemCommand(createIfAbsent(id))));
    await proxy.accept();
    await client(1).send(new PutItemCommand(createIfAbsent(id)));

    // Assess
    expect(error.code).toBe("ECONNREFUSED");
    expect(await stored(id)).toBeDefined();
  });

  it("hang: never forwarded nor answered; the SDK's retry on a new connection goes through", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    await direct().send(new PutItemCommand(createIfAbsent(id)));
    proxy.inject({ match: { operation: "GetItem" }, fault: { kind: "hang" } });

    // Act
    const { result, ms } = await timed(() =>
      client(2).send(new GetItemCommand({ TableName: tableName, Key: { id: { S: id } } })),
    );

    // Assess
    expect(result.Item).toBeDefined();
    expect(ms).toBeGreaterThanOrEqual(ADAPTER_TIMEOUTS.requestTimeoutMs - 50);
    const [hung, retry] = proxy.recordsOf("GetItem");
    expect(hung).toMatchObject({ fault: "hang", forwarded: false, outcome: "hung" });
    expect(hung?.clientGaveUpAt).toBeDefined();
    expect(retry).toMatchObject({ outcome: "replied" });
    expect(retry?.connection).not.toBe(hung?.connection);
  });

  it("hang on a write with one attempt: nothing applied, the client times out", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.inject({ match: { operation: "PutItem" }, fault: { kind: "hang" } });

    // Act
    const error = await failureOf(client(1).send(new PutItemCommand(createIfAbsent(id))));

    // Assess
    expect(error.name).toBe("TimeoutError");
    expect(await stored(id)).toBeUndefined();
  });

  it("slow: every reply is held that much longer", async () => {
    // Prepare
    await start();
    const id = crypto.randomUUID();
    proxy.slow(300);

    // Act
    const put = await timed(() => client(1).send(new PutItemCommand(createIfAbsent(id))));
    const get = await timed(() =>
      client(1).send(new GetItemCommand({ TableName: tableName, Key: { id: { S: id } } })),
    );
    proxy.slow(0);
    const fast = await timed(() =>
      client(1).send(new GetItemCommand({ TableName: tableName, Key: { id: { S: id } } })),
    );

    // Assess
    expect(put.ms).toBeGreaterThanOrEqual(300);
    expect(get.ms).toBeGreaterThanOrEqual(300);
    expect(fast.ms).toBeLessThan(300);
    expect(proxy.records.map((record) => record.fault)).toEqual(["slow", "slow", undefined]);
  });

  it("matches on the body and counts: only the second update that sets status=running", async () => {
    // Prepare
    await start();
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const setStatus = (id: string, status: string) =>
      new UpdateItemCommand({
        TableName: tableName,
        Key: { id: { S: id } },
        UpdateExpression: "SET #status = :status",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":status": { S: status } },
      });
    const settingRunning = (json: unknown) =>
      (json as { ExpressionAttributeValues?: Record<string, { S?: string }> }).ExpressionAttributeValues?.[
        ":status"
      ]?.S === "running";
    const rule = proxy.inject({
      match: { operation: "UpdateItem", body: settingRunning },
      fault: { kind: "reset", beforeForward: true },
      skip: 1,
    });

    // Act
    await client(1).send(setStatus(ids[0] ?? "", "running"));
    await client(1).send(setStatus(ids[1] ?? "", "completed"));
    const error = await failureOf(client(1).send(setStatus(ids[2] ?? "", "running")));
    await client(1).send(setStatus(ids[2] ?? "", "running"));

    // Assess
    expect(error.code ?? error.name).toBe("ECONNRESET");
    expect(rule.applied).toBe(1);
    expect(proxy.records.map((record) => record.outcome)).toEqual(["replied", "replied", "reset", "replied"]);
  });
});
