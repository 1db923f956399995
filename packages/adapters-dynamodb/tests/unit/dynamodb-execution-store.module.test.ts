import { SystemClock } from "@holdline/adapters-node/system-clock";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { DynamoDbExecutionStore } from "../../src/dynamodb-execution-store.ts";
import {
  DynamoDbDocumentClientId,
  dynamoDbExecutionStoreModule,
} from "../../src/dynamodb-execution-store.module.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_STORE_OPTIONS } from "../support/test-timeouts.ts";

const buildContainer = () => {
  const container = new Container();
  container.bind(ClockId).toConstantValue(new SystemClock());
  container.load(
    dynamoDbExecutionStoreModule({
      tableName: "executions",
      client: { region: "eu-west-1", ...TEST_CLIENT_TIMEOUTS },
      store: TEST_STORE_OPTIONS,
    }),
  );
  return container;
};

describe("DynamoDB execution store module", () => {
  it("binds the execution store to the DynamoDB adapter", () => {
    // Prepare
    const container = buildContainer();

    // Act
    const store = container.get(ExecutionStoreId);

    // Assess
    expect(store).toBeInstanceOf(DynamoDbExecutionStore);
  });

  it("builds one document client per container", () => {
    // Prepare
    const container = buildContainer();

    // Act
    const first = container.get(DynamoDbDocumentClientId);
    const second = container.get(DynamoDbDocumentClientId);

    // Assess
    expect(first).toBe(second);
  });
});
