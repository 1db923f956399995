import type { DynamoDbClientOptions } from "../../src/dynamodb-client.ts";
import type { DynamoDbExecutionStoreOptions } from "../../src/dynamodb-execution-store.ts";

/**
 * The timeouts the adapter's tests, its benchmark and the apps' bundle tests give their clients and stores.
 * The apps take theirs from `@holdline/budget`, which an adapter may not import; these leave room for a slow
 * machine: each attempt 2 s, three attempts, the whole call cut at 3 s.
 */
export const TEST_CLIENT_TIMEOUTS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 3,
} as const satisfies Partial<DynamoDbClientOptions>;

export const TEST_STORE_OPTIONS: DynamoDbExecutionStoreOptions = { operationTimeoutMs: 3_000 };
