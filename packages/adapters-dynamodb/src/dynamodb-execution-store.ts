import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { ItemTooLargeError, StaleExecutionError } from "@holdline/domain/errors";
import { type Execution, type ExecutionKey, formatKey } from "@holdline/domain/execution/execution";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type {
  CreateResult,
  ExecutionStore,
  ExpectedState,
} from "@holdline/domain/ports/execution-store.port";
import { storeCall } from "./dynamodb-errors.ts";
import {
  type ExecutionItem,
  fromItem,
  keyItem,
  liveExecution,
  OPTIONAL_ATTRIBUTES,
  toItem,
} from "./execution-item.ts";
import { MAX_ITEM_BYTES } from "./execution-table.ts";
import { itemSizeBytes } from "./item-size.ts";

export interface DynamoDbExecutionStoreOptions {
  /**
   * Hard cap on one store call, SDK retries and backoff included; past it the call fails with
   * `store_unavailable`. No default: it must fit the client's attempts; the apps take both from the budget.
   */
  readonly operationTimeoutMs: number;
}

/** Creates whose conditional put is refused and whose read then finds the item expired are tried again. */
const CREATE_ROUNDS = 3;

const CREATE_CONDITION = "attribute_not_exists(#contactId) OR #expiresAt <= :nowSeconds";
const TRANSITION_CONDITION =
  "#version = :expectedVersion AND #status = :expectedStatus AND #status IN (:queued, :running) AND #expiresAt > :nowSeconds";

/**
 * The `ExecutionStore` on one DynamoDB table (see `execution-table.ts`). Single-item conditional writes
 * only: a create is a conditional PutItem, a transition one conditional UpdateItem; no transactions.
 * Every read is strongly consistent, and an item past its `expiresAt` (by `clock`) counts as absent,
 * because DynamoDB's TTL deletes expired items only eventually. Every write asks for the refusing item
 * with the refusal (`ReturnValuesOnConditionCheckFailure: ALL_OLD`): a refused create needs no read, and a
 * refused transition hands it on as `StaleExecutionError.current`. dynalite ignores that parameter; there a
 * refused create reads the item, and the domain reads after a refused transition.
 */
export class DynamoDbExecutionStore implements ExecutionStore {
  private readonly operationTimeoutMs: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    options: DynamoDbExecutionStoreOptions,
  ) {
    this.operationTimeoutMs = options.operationTimeoutMs;
  }

  async get(key: ExecutionKey): Promise<Execution | undefined> {
    const { Item } = await this.call(`get ${formatKey(key)}`, (abortSignal) =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keyItem(key), ConsistentRead: true }),
        { abortSignal },
      ),
    );
    return this.live(Item);
  }

  async createIfAbsent(execution: Execution): Promise<CreateResult> {
    const item = toItem(execution);
    const what = `create ${formatKey(execution)}`;
    assertFits(item, what);
    for (let round = 0; round < CREATE_ROUNDS; round += 1) {
      try {
        await this.call(what, (abortSignal) =>
          this.client.send(
            new PutCommand({
              TableName: this.tableName,
              Item: item,
              // An expired item may still be there (TTL deletes late): it is replaced like an absent one.
              ConditionExpression: CREATE_CONDITION,
              ExpressionAttributeNames: { "#contactId": "contactId", "#expiresAt": "expiresAt" },
              ExpressionAttributeValues: { ":nowSeconds": this.nowSeconds() },
              ReturnValuesOnConditionCheckFailure: "ALL_OLD",
            }),
            { abortSignal },
          ),
        );
        return { created: true, execution: fromItem(item) };
      } catch (error) {
        if (!(error instanceof StaleExecutionError)) throw error;
        // The item that refused the put is live (an expired one would have passed the condition).
        const refusing = this.refusingItem(error);
        if (refusing !== undefined) return { created: false, execution: refusing };
      }
      const existing = await this.get(execution);
      if (existing !== undefined) return { created: false, execution: existing };
      // The item we collided with expired between the put and the read: the key is free again.
    }
    throw new StaleExecutionError(`${what}: the key kept changing while being created`);
  }

  async transition(next: Execution, expected: ExpectedState): Promise<Execution> {
    const item = toItem(next);
    const what = `transition ${formatKey(next)} from version ${expected.version} (${expected.status})`;
    // The stored item becomes exactly `item`: every attribute is SET or REMOVEd.
    assertFits(item, what);
    const written = Object.keys(item).filter(
      (name) => name !== "contactId" && name !== "turn" && name !== "version",
    );
    const removed = OPTIONAL_ATTRIBUTES.filter((name) => !(name in item));
    const names: Record<string, string> = {
      "#version": "version",
      "#status": "status",
      "#expiresAt": "expiresAt",
    };
    const values: Record<string, unknown> = {
      ":expectedVersion": expected.version,
      ":expectedStatus": expected.status,
      ":queued": "queued",
      ":running": "running",
      ":nowSeconds": this.nowSeconds(),
      ":nextVersion": expected.version + 1,
    };
    for (const name of [...written, ...removed]) names[`#${name}`] = name;
    for (const name of written) values[`:${name}`] = item[name];
    const set = [...written.map((name) => `#${name} = :${name}`), "#version = :nextVersion"];
    const update = `SET ${set.join(", ")}${removed.length === 0 ? "" : ` REMOVE ${removed.map((name) => `#${name}`).join(", ")}`}`;

    try {
      const { Attributes } = await this.call(what, (abortSignal) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyItem(next),
            UpdateExpression: update,
            // Terminal items and expired items never change; the version makes concurrent writers exclusive.
            ConditionExpression: TRANSITION_CONDITION,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "ALL_NEW",
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
          { abortSignal },
        ),
      );
      return fromItem(Attributes as ExecutionItem);
    } catch (error) {
      if (!(error instanceof StaleExecutionError)) throw error;
      const current = this.refusingItem(error);
      throw current === undefined
        ? error
        : new StaleExecutionError(error.message, { cause: error.cause, current });
    }
  }

  async recentTurns(contactId: string, beforeTurn: number, limit: number): Promise<Execution[]> {
    const turns: Execution[] = [];
    let startKey: Record<string, unknown> | undefined;
    // One Query unless expired items fill the page: Limit counts items before the filter drops them.
    while (turns.length < limit) {
      const page = await this.call(`recent turns of ${contactId} before ${beforeTurn}`, (abortSignal) =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "#contactId = :contactId AND #turn < :beforeTurn",
            FilterExpression: "#expiresAt > :nowSeconds",
            ExpressionAttributeNames: {
              "#contactId": "contactId",
              "#turn": "turn",
              "#expiresAt": "expiresAt",
            },
            ExpressionAttributeValues: {
              ":contactId": contactId,
              ":beforeTurn": beforeTurn,
              ":nowSeconds": this.nowSeconds(),
            },
            ScanIndexForward: false,
            Limit: limit - turns.length,
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
          { abortSignal },
        ),
      );
      turns.push(...(page.Items ?? []).map((found) => fromItem(found)));
      startKey = page.LastEvaluatedKey;
      if (startKey === undefined) break;
    }
    return turns;
  }

  /**
   * The live execution DynamoDB returned with a refusal (`ReturnValuesOnConditionCheckFailure: ALL_OLD`),
   * in the exception's `Item`, which the document client leaves in DynamoDB's attribute-value form.
   * Undefined when there is none (dynalite, an absent item) or it has expired.
   */
  private refusingItem(refusal: StaleExecutionError): Execution | undefined {
    const { cause } = refusal;
    const item =
      typeof cause === "object" && cause !== null
        ? (cause as { Item?: Record<string, AttributeValue> }).Item
        : undefined;
    return item === undefined ? undefined : this.live(unmarshall(item));
  }

  private live(item: ExecutionItem | undefined): Execution | undefined {
    return liveExecution(item, this.clock.now());
  }

  /** `expiresAt` is in seconds and the clock in milliseconds; an item is live while `expiresAt > now/1000`. */
  private nowSeconds(): number {
    return this.clock.now() / 1000;
  }

  private call<T>(what: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return storeCall(what, this.operationTimeoutMs, send);
  }
}

/** DynamoDB would refuse the item too (and maps to the same error); checking first also spares the request. */
function assertFits(item: ExecutionItem, what: string): void {
  const bytes = itemSizeBytes(item);
  if (bytes > MAX_ITEM_BYTES) {
    throw new ItemTooLargeError(
      `${what}: the item would be ${bytes} bytes, over DynamoDB's ${MAX_ITEM_BYTES}`,
    );
  }
}
