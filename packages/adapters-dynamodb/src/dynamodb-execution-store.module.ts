import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type Clock, ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { TextDeliveryStoreId } from "@holdline/domain/ports/text-delivery-store.port";
import { ContainerModule, type ServiceIdentifier } from "inversify";
import { createDynamoDbClient, type DynamoDbClientOptions } from "./dynamodb-client.ts";
import { DynamoDbExecutionStore, type DynamoDbExecutionStoreOptions } from "./dynamodb-execution-store.ts";
import { DynamoDbTextDeliveryStore } from "./dynamodb-text-delivery-store.ts";

export const DynamoDbDocumentClientId: ServiceIdentifier<DynamoDBDocumentClient> = Symbol.for(
  "holdline.DynamoDbDocumentClient",
);

export interface DynamoDbExecutionStoreModuleConfig {
  readonly tableName: string;
  readonly client: DynamoDbClientOptions;
  readonly store: DynamoDbExecutionStoreOptions;
}

/**
 * Binds `ExecutionStoreId` and `TextDeliveryStoreId` to the DynamoDB stores (one table), and the document
 * client they share, as singletons: one
 * client per container, so one per Lambda cold start. Needs `ClockId` bound elsewhere. No decorators.
 */
export const dynamoDbExecutionStoreModule = (config: DynamoDbExecutionStoreModuleConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(DynamoDbDocumentClientId)
      .toResolvedValue(() => createDynamoDbClient(config.client))
      .inSingletonScope();
    bind(ExecutionStoreId)
      .toResolvedValue(
        (client: DynamoDBDocumentClient, clock: Clock) =>
          new DynamoDbExecutionStore(client, config.tableName, clock, config.store),
        [DynamoDbDocumentClientId, ClockId],
      )
      .inSingletonScope();
    bind(TextDeliveryStoreId)
      .toResolvedValue(
        (client: DynamoDBDocumentClient, clock: Clock) =>
          new DynamoDbTextDeliveryStore(client, config.tableName, clock, config.store),
        [DynamoDbDocumentClientId, ClockId],
      )
      .inSingletonScope();
  });
