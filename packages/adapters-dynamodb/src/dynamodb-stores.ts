import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { ExecutionStore } from "@holdline/domain/ports/execution-store.port";
import type { TextDeliveryStore } from "@holdline/domain/ports/text-delivery-store.port";
import { DynamoDbExecutionStore, type DynamoDbExecutionStoreOptions } from "./dynamodb-execution-store.ts";
import { DynamoDbTextDeliveryStore } from "./dynamodb-text-delivery-store.ts";

/**
 * Both ports on one executions table and one client, as one object: for whoever holds executions and their
 * text deliveries together (the local harness, the store contracts). The Lambdas bind each port on its own
 * (`dynamoDbExecutionStoreModule`).
 */
export function dynamoDbStores(
  client: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
  options: DynamoDbExecutionStoreOptions,
): ExecutionStore & TextDeliveryStore {
  const executions = new DynamoDbExecutionStore(client, tableName, clock, options);
  const deliveries = new DynamoDbTextDeliveryStore(client, tableName, clock, options);
  return {
    get: (key) => executions.get(key),
    createIfAbsent: (execution) => executions.createIfAbsent(execution),
    transition: (next, expected) => executions.transition(next, expected),
    recentTurns: (contactId, beforeTurn, limit) => executions.recentTurns(contactId, beforeTurn, limit),
    readDelivery: (key) => deliveries.readDelivery(key),
    latestTurn: (contactId) => deliveries.latestTurn(contactId),
    writeDelivery: (key, next, condition) => deliveries.writeDelivery(key, next, condition),
  };
}
