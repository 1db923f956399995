import { executionStoreContract } from "@holdline/domain/testing/contracts/execution-store.contract";
import { DynamoDbExecutionStore } from "../../src/dynamodb-execution-store.ts";
import { useLocalExecutionTable } from "../support/local-execution-table.ts";
import { TEST_STORE_OPTIONS } from "../support/test-timeouts.ts";

const table = useLocalExecutionTable();

executionStoreContract("DynamoDB on dynalite", {
  create: (clock) => new DynamoDbExecutionStore(table.client, table.tableName, clock, TEST_STORE_OPTIONS),
});
