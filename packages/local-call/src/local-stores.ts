import { createDynamoDbClient } from "@holdline/adapters-dynamodb/dynamodb-client";
import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { executionTableDefinition } from "@holdline/adapters-dynamodb/execution-table";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { ExecutionStore } from "@holdline/domain/ports/execution-store.port";
import { startLocalDynamoDb } from "@holdline/local-aws/local-dynamodb";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { LOCAL_TABLE_NAME } from "./local-holdline.ts";

export interface LocalStore {
  readonly store: ExecutionStore;
  /** For the demo's header, e.g. `dynalite at http://127.0.0.1:49152`. */
  readonly description: string;
  /** Closes what the store holds open (SDK sockets, the local server). */
  close(): Promise<void>;
}

/** For virtual time: no I/O, so a `ManualClock` can drive every wait. */
export const inMemoryStore = (clock: Clock): LocalStore => ({
  store: new InMemoryExecutionStore(clock),
  description: "in memory",
  close: async () => undefined,
});

export interface DynaliteStoreOptions {
  /** Default true. */
  readonly childProcess?: boolean;
  /** Sockets the one SDK client may open; default the adapter's 50. */
  readonly maxSockets?: number;
}

/**
 * The DynamoDB adapter on a local dynalite server with the executions table, for real time only: virtual
 * time cannot wait for real network I/O. dynalite runs in a child process by default, so its work does not
 * hold up the timers of the call. `close()` destroys the SDK client and stops the server.
 */
export async function startDynaliteStore(
  clock: Clock,
  budget: Pick<TimingBudget, "dynamodb">,
  { childProcess = true, maxSockets }: DynaliteStoreOptions = {},
): Promise<LocalStore> {
  const dynamodb = await startLocalDynamoDb({
    tables: [executionTableDefinition(LOCAL_TABLE_NAME)],
    childProcess,
  });
  const client = createDynamoDbClient({
    endpoint: dynamodb.endpoint,
    region: dynamodb.region,
    credentials: dynamodb.credentials,
    connectionTimeoutMs: budget.dynamodb.connectionTimeoutMs,
    requestTimeoutMs: budget.dynamodb.requestTimeoutMs,
    maxAttempts: budget.dynamodb.maxAttempts,
    ...(maxSockets === undefined ? {} : { maxSockets }),
  });
  return {
    store: new DynamoDbExecutionStore(client, LOCAL_TABLE_NAME, clock, {
      operationTimeoutMs: budget.dynamodb.operationTimeoutMs,
    }),
    description: `DynamoDB (dynalite at ${dynamodb.endpoint}, table ${LOCAL_TABLE_NAME})`,
    close: async () => {
      client.destroy();
      await dynamodb.stop();
    },
  };
}
