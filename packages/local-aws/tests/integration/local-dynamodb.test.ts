import { once } from "node:events";
import { connect } from "node:net";
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { freshTableName, type LocalDynamoDb, startLocalDynamoDb } from "../../src/local-dynamodb.ts";

const table = (name: string) => ({
  TableName: name,
  KeySchema: [{ AttributeName: "id", KeyType: "HASH" as const }],
  AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" as const }],
  BillingMode: "PAY_PER_REQUEST" as const,
});

const started: LocalDynamoDb[] = [];
const start = async (...args: Parameters<typeof startLocalDynamoDb>) => {
  const local = await startLocalDynamoDb(...args);
  started.push(local);
  return local;
};
const clientFor = (local: LocalDynamoDb) =>
  new DynamoDBClient({ endpoint: local.endpoint, region: local.region, credentials: local.credentials });

afterEach(async () => {
  for (const local of started.splice(0)) await local.stop();
});

describe("local DynamoDB (dynalite)", () => {
  it("listens on a loopback address at a free port", async () => {
    // Act
    const local = await start();

    // Assess
    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("creates the requested tables, ACTIVE before it resolves", async () => {
    // Prepare
    const name = freshTableName("things");

    // Act
    const local = await start({ tables: [table(name)] });

    // Assess
    const client = clientFor(local);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    client.destroy();
    expect(Table?.TableStatus).toBe("ACTIVE");
  });

  it("keeps each server's tables to itself", async () => {
    // Prepare
    const first = await start({ tables: [table("only-in-first")] });
    const second = await start();

    // Act
    const client = clientFor(second);
    const { TableNames } = await client.send(new ListTablesCommand({}));
    client.destroy();

    // Assess
    expect(first.endpoint).not.toBe(second.endpoint);
    expect(TableNames).toEqual([]);
  });

  it("stops promptly even with a request still in flight", async () => {
    // Prepare: a request whose body never finishes keeps its connection busy
    const local = await startLocalDynamoDb();
    const { port } = new URL(local.endpoint);
    const socket = connect(Number(port), "127.0.0.1");
    await once(socket, "connect");
    socket.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{");
    socket.on("error", () => undefined);

    // Act
    const started = performance.now();
    await local.stop();
    const elapsedMs = performance.now() - started;

    // Assess
    socket.destroy();
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it("refuses connections once stopped", async () => {
    // Prepare
    const local = await startLocalDynamoDb();
    const client = clientFor(local);

    // Act
    await local.stop();

    // Assess
    await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject({ code: "ECONNREFUSED" });
    client.destroy();
  });

  it("runs in a child process when asked, and ends it on stop", async () => {
    // Prepare
    const name = freshTableName("things");
    const local = await startLocalDynamoDb({ tables: [table(name)], childProcess: true });
    const client = clientFor(local);

    // Act
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    await local.stop();

    // Assess
    expect(Table?.TableStatus).toBe("ACTIVE");
    await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject({ code: "ECONNREFUSED" });
    client.destroy();
  });

  it("names fresh tables apart", () => {
    expect(freshTableName("executions")).not.toBe(freshTableName("executions"));
  });
});
