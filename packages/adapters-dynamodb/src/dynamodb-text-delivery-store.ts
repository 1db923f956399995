import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { StaleDeliveryError, StaleExecutionError } from "@holdline/domain/errors";
import { type ExecutionKey, formatKey } from "@holdline/domain/execution/execution";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type {
  DeliveryWriteCondition,
  TextDeliveryStore,
} from "@holdline/domain/ports/text-delivery-store.port";
import type { DeliveryView, TextDelivery } from "@holdline/domain/text-delivery/text-delivery";
import { storeCall } from "./dynamodb-errors.ts";
import { type ExecutionItem, keyItem, liveExecution } from "./execution-item.ts";
import {
  fromDeliveryItem,
  TEXT_DELIVERY_ATTRIBUTE,
  TEXT_DELIVERY_STATE_ATTRIBUTE,
  toDeliveryItem,
} from "./text-delivery-item.ts";

export interface DynamoDbTextDeliveryStoreOptions {
  /** Hard cap on one store call, SDK retries included (the apps take it from the budget). */
  readonly operationTimeoutMs: number;
}

/**
 * The `TextDeliveryStore` on the executions table: the delivery is the `textDelivery` map of the execution's
 * item. Each write is one conditional UpdateItem of that attribute alone, conditional on the delivery's
 * revision, the item being there and unexpired, and (for the consent) the turn still awaiting its answer.
 */
export class DynamoDbTextDeliveryStore implements TextDeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    private readonly options: DynamoDbTextDeliveryStoreOptions,
  ) {}

  async readDelivery(key: ExecutionKey): Promise<DeliveryView | undefined> {
    const { Item } = await this.call(`read the text delivery of ${formatKey(key)}`, (abortSignal) =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keyItem(key), ConsistentRead: true }),
        {
          abortSignal,
        },
      ),
    );
    return this.view(Item);
  }

  async latestTurn(contactId: string): Promise<DeliveryView | undefined> {
    const { Items } = await this.call(`read the latest turn of ${contactId}`, (abortSignal) =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "#contactId = :contactId",
          ExpressionAttributeNames: { "#contactId": "contactId" },
          ExpressionAttributeValues: { ":contactId": contactId },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
        { abortSignal },
      ),
    );
    return this.view(Items?.[0]);
  }

  async writeDelivery(
    key: ExecutionKey,
    next: TextDelivery,
    { expectedRevision, whileAwaitingAnswer }: DeliveryWriteCondition,
  ): Promise<TextDelivery> {
    const names: Record<string, string> = {
      "#contactId": "contactId",
      "#expiresAt": "expiresAt",
      "#delivery": TEXT_DELIVERY_ATTRIBUTE,
      "#deliveryState": TEXT_DELIVERY_STATE_ATTRIBUTE,
    };
    const values: Record<string, unknown> = {
      ":delivery": toDeliveryItem(next),
      ":deliveryState": next.state,
      ":nowSeconds": this.clock.now() / 1000,
    };
    const conditions = ["attribute_exists(#contactId)", "#expiresAt > :nowSeconds"];
    if (expectedRevision === 0) {
      conditions.push("attribute_not_exists(#delivery)");
    } else {
      names["#revision"] = "revision";
      values[":revision"] = expectedRevision;
      conditions.push("#delivery.#revision = :revision");
    }
    if (whileAwaitingAnswer === true) {
      Object.assign(names, { "#status": "status", "#parts": "parts" });
      Object.assign(values, { ":queued": "queued", ":running": "running", ":none": 0 });
      conditions.push(
        "#status IN (:queued, :running)",
        "(attribute_not_exists(#parts) OR size(#parts) = :none)",
      );
    }
    const what = `write the text delivery of ${formatKey(key)} (${next.state}, revision ${next.revision})`;
    try {
      await this.call(what, (abortSignal) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyItem(key),
            UpdateExpression: "SET #delivery = :delivery, #deliveryState = :deliveryState",
            ConditionExpression: conditions.join(" AND "),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
          { abortSignal },
        ),
      );
    } catch (error) {
      if (error instanceof StaleExecutionError) throw new StaleDeliveryError(error.message, { cause: error });
      throw error;
    }
    return next;
  }

  private view(item: ExecutionItem | undefined): DeliveryView | undefined {
    const execution = liveExecution(item, this.clock.now());
    const stored = item?.[TEXT_DELIVERY_ATTRIBUTE];
    if (execution === undefined) return undefined;
    return stored === undefined ? { execution } : { execution, delivery: fromDeliveryItem(stored) };
  }

  private call<T>(what: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return storeCall(what, this.options.operationTimeoutMs, send);
  }
}
