import { dynamoDbExecutionStoreModule } from "@holdline/adapters-dynamodb/dynamodb-execution-store.module";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { ContainerModule } from "inversify";
import type { CommonConfig } from "../config/environment.schema.ts";

/** Binds the `ExecutionStore` port to DynamoDB, with the budget's SDK timeouts and per-call cap. */
export const storeModule = (config: CommonConfig, budget: TimingBudget): ContainerModule =>
  dynamoDbExecutionStoreModule({
    tableName: config.HOLDLINE_TABLE_NAME,
    client: {
      ...(config.HOLDLINE_DYNAMODB_ENDPOINT === undefined
        ? {}
        : { endpoint: config.HOLDLINE_DYNAMODB_ENDPOINT }),
      connectionTimeoutMs: budget.dynamodb.connectionTimeoutMs,
      requestTimeoutMs: budget.dynamodb.requestTimeoutMs,
      maxAttempts: budget.dynamodb.maxAttempts,
    },
    store: { operationTimeoutMs: budget.dynamodb.operationTimeoutMs },
  });
