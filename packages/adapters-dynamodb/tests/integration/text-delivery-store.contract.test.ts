import { textDeliveryStoreContract } from "@holdline/domain/testing/contracts/text-delivery-store.contract";
import { dynamoDbStores } from "../../src/dynamodb-stores.ts";
import { useLocalExecutionTable } from "../support/local-execution-table.ts";
import { TEST_STORE_OPTIONS } from "../support/test-timeouts.ts";

const table = useLocalExecutionTable();

textDeliveryStoreContract("DynamoDB on dynalite", {
  create: (clock) => dynamoDbStores(table.client, table.tableName, clock, TEST_STORE_OPTIONS),
});
