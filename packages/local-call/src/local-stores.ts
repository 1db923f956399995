import { createDynamoDbClient } from "@holdline/adapters-dynamodb/dynamodb-client";
import { dynamoDbStores } from "@holdline/adapters-dynamodb/dynamodb-stores";
import { executionTableDefinition } from "@holdline/adapters-dynamodb/execution-table";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { ExecutionStore } from "@holdline/domain/ports/execution-store.port";
import type { TextDeliveryStore } from "@holdline/domain/ports/text-delivery-store.port";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { DynamoDbChangeCapture } from "@holdline/local-aws/dynamodb-streams/change-capture";
import type { DynamoDbStream } from "@holdline/local-aws/dynamodb-streams/stream";
import { startLocalDynamoDb } from "@holdline/local-aws/local-dynamodb";
import { LOCAL_TABLE_NAME } from "./local-holdline.ts";
import { streamOfMemoryStore } from "./local-text-delivery.ts";

export interface LocalStore {
  /** Both ports over one table: executions, and the text delivery beside each. */
  readonly store: ExecutionStore & TextDeliveryStore;
  /** The table's stream: with `stream` (dynalite, through the change capture), or from the in-memory store. */
  readonly stream?: DynamoDbStream;
  /** For the demo's header, e.g. `dynalite at http://127.0.0.1:49152`. */
  readonly description: string;
  /** Closes what the store holds open (SDK sockets, the local server). */
  close(): Promise<void>;
}

/** For virtual time: no I/O, so a `ManualClock` can drive every wait. */
export const inMemoryStore = (clock: Clock, { stream = false }: { stream?: boolean } = {}): LocalStore => {
  const store = new InMemoryExecutionStore(clock);
  return {
    store,
    ...(stream ? { stream: streamOfMemoryStore(store, clock, LOCAL_TABLE_NAME) } : {}),
    description: "in memory",
    close: async () => undefined,
  };
};

export interface DynaliteStoreOptions {
  /** Default true. */
  readonly childProcess?: boolean;
  /** Sockets the one SDK client may open; default the adapter's 50. */
  readonly maxSockets?: number;
  /** Put the DynamoDB Streams change capture in front of dynalite: the store's `stream`. Default false. */
  readonly stream?: boolean;
}

/**
 * The DynamoDB adapter on a local dynalite server with the executions table, for real time only: virtual
 * time cannot wait for real network I/O. dynalite runs in a child process by default, so its work does not
 * hold up the timers of the call. `close()` destroys the SDK client and stops the server.
 */
export async function startDynaliteStore(
  clock: Clock,
  budget: Pick<TimingBudget, "dynamodb">,
  { childProcess = true, maxSockets, stream = false }: DynaliteStoreOptions = {},
): Promise<LocalStore> {
  const dynamodb = await startLocalDynamoDb({
    tables: [executionTableDefinition(LOCAL_TABLE_NAME)],
    childProcess,
  });
  const capture = stream
    ? await DynamoDbChangeCapture.start({ target: dynamodb.endpoint, tableName: LOCAL_TABLE_NAME, clock })
    : undefined;
  const client = createDynamoDbClient({
    endpoint: capture?.endpoint ?? dynamodb.endpoint,
    region: dynamodb.region,
    credentials: dynamodb.credentials,
    connectionTimeoutMs: budget.dynamodb.connectionTimeoutMs,
    requestTimeoutMs: budget.dynamodb.requestTimeoutMs,
    maxAttempts: budget.dynamodb.maxAttempts,
    ...(maxSockets === undefined ? {} : { maxSockets }),
  });
  return {
    store: dynamoDbStores(client, LOCAL_TABLE_NAME, clock, {
      operationTimeoutMs: budget.dynamodb.operationTimeoutMs,
    }),
    ...(capture === undefined ? {} : { stream: capture.stream }),
    description: `DynamoDB (dynalite at ${dynamodb.endpoint}${capture === undefined ? "" : `, its stream from the change capture at ${capture.endpoint}`}, table ${LOCAL_TABLE_NAME})`,
    close: async () => {
      client.destroy();
      await capture?.stop();
      await dynamodb.stop();
    },
  };
}
