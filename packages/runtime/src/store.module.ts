import { dynamoDbExecutionStoreModule } from "@holdline/adapters-dynamodb/dynamodb-execution-store.module";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ContainerModule } from "inversify";
import type { CommonConfig } from "./adapter-config.ts";

/** The wall clock and the DynamoDB execution store, with the budget's SDK timeouts. */
export const clockModule = (): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(ClockId).toConstantValue(new SystemClock());
  });

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
  });
