import { textDeliveryStoreContract } from "@holdline/domain/testing/contracts/text-delivery-store.contract";
import { DynamoDbExecutionStore } from "../../src/dynamodb-execution-store.ts";
import { DynamoDbTextDeliveryStore } from "../../src/dynamodb-text-delivery-store.ts";
import { useLocalExecutionTable } from "../support/local-execution-table.ts";
import { TEST_STORE_OPTIONS } from "../support/test-timeouts.ts";

const table = useLocalExecutionTable();

textDeliveryStoreContract("DynamoDB on dynalite", {
  create: (clock) => {
    const executions = new DynamoDbExecutionStore(table.client, table.tableName, clock, TEST_STORE_OPTIONS);
    const deliveries = new DynamoDbTextDeliveryStore(
      table.client,
      table.tableName,
      clock,
      TEST_STORE_OPTIONS,
    );
    return Object.assign(Object.create(executions) as DynamoDbExecutionStore, {
      readDelivery: deliveries.readDelivery.bind(deliveries),
      latestTurn: deliveries.latestTurn.bind(deliveries),
      writeDelivery: deliveries.writeDelivery.bind(deliveries),
    });
  },
});
