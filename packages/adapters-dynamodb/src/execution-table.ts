import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The executions table, shared by the adapter, the local server (`@holdline/local-dynamodb`) and infra.
 *
 * - Partition key `contactId` (S): one partition per call, so a call's turns sit together.
 * - Sort key `turn` (N): DynamoDB orders numeric sort keys numerically, so "turns before N, newest first"
 *   is one Query with no padding width to outgrow and nothing to parse back.
 * - `expiresAt` (N, epoch seconds) is the TTL attribute; DynamoDB deletes expired items only eventually,
 *   so the adapter also treats them as absent on every read and lets their key be created again.
 */
export const EXECUTION_TABLE_KEYS = { partitionKey: "contactId", sortKey: "turn" } as const;
export const EXECUTION_TTL_ATTRIBUTE = "expiresAt";

/** DynamoDB's item size limit (attribute names plus values), 400 KB. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** The CreateTable input for the executions table: on-demand capacity, no indexes, no streams. */
export const executionTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  KeySchema: [
    { AttributeName: EXECUTION_TABLE_KEYS.partitionKey, KeyType: "HASH" },
    { AttributeName: EXECUTION_TABLE_KEYS.sortKey, KeyType: "RANGE" },
  ],
  AttributeDefinitions: [
    { AttributeName: EXECUTION_TABLE_KEYS.partitionKey, AttributeType: "S" },
    { AttributeName: EXECUTION_TABLE_KEYS.sortKey, AttributeType: "N" },
  ],
  BillingMode: "PAY_PER_REQUEST",
});
