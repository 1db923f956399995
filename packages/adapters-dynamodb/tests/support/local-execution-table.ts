import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { freshTableName, type LocalDynamoDb, startLocalDynamoDb } from "@holdline/local-aws/local-dynamodb";
import { afterAll, beforeAll } from "vitest";
import { createDynamoDbClient, type DynamoDbClientOptions } from "../../src/dynamodb-client.ts";
import { executionTableDefinition } from "../../src/execution-table.ts";
import { TEST_CLIENT_TIMEOUTS } from "./test-timeouts.ts";

export interface LocalExecutionTable {
  readonly local: LocalDynamoDb;
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Another document client on the same server, e.g. with different timeouts. */
  clientWith(options: Partial<DynamoDbClientOptions>): DynamoDBDocumentClient;
}

/**
 * Starts one dynalite for the calling test file and creates a fresh executions table in it; both are
 * available inside tests (not at collection time) and torn down after the file.
 */
export function useLocalExecutionTable(): LocalExecutionTable {
  let state: { local: LocalDynamoDb; client: DynamoDBDocumentClient; tableName: string } | undefined;
  const clients: DynamoDBDocumentClient[] = [];
  const current = () => {
    if (state === undefined) throw new Error("the local table is only available inside tests");
    return state;
  };

  beforeAll(async () => {
    const tableName = freshTableName("executions");
    const local = await startLocalDynamoDb({ tables: [executionTableDefinition(tableName)] });
    const client = createDynamoDbClient({
      endpoint: local.endpoint,
      region: local.region,
      credentials: local.credentials,
      ...TEST_CLIENT_TIMEOUTS,
    });
    clients.push(client);
    state = { local, client, tableName };
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await state?.local.stop();
  });

  return {
    get local() {
      return current().local;
    },
    get client() {
      return current().client;
    },
    get tableName() {
      return current().tableName;
    },
    clientWith(options) {
      const { local } = current();
      const client = createDynamoDbClient({
        endpoint: local.endpoint,
        region: local.region,
        credentials: local.credentials,
        ...TEST_CLIENT_TIMEOUTS,
        ...options,
      });
      clients.push(client);
      return client;
    },
  };
}
