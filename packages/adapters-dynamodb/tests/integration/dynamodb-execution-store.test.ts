import { randomUUID } from "node:crypto";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { ItemTooLargeError } from "@holdline/domain/errors";
import {
  claim,
  complete,
  type Execution,
  type ExecutionKey,
  newExecution,
} from "@holdline/domain/execution/execution";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { beforeEach, describe, expect, it } from "vitest";
import { DynamoDbExecutionStore } from "../../src/dynamodb-execution-store.ts";
import { meterDynamoDbRequests, type RequestMeter } from "../support/dynamodb-request-meter.ts";
import { toItem } from "../../src/execution-item.ts";
import { MAX_ITEM_BYTES } from "../../src/execution-table.ts";
import { itemSizeBytes } from "../../src/item-size.ts";
import { useLocalExecutionTable } from "../support/local-execution-table.ts";
import { TEST_STORE_OPTIONS } from "../support/test-timeouts.ts";

const LEASE = { leaseMs: 30_000, maxAttempts: 3 };
const table = useLocalExecutionTable();

let clock: ManualClock;
let store: DynamoDbExecutionStore;
let meter: RequestMeter;

beforeEach(() => {
  clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
  const client = table.clientWith({});
  meter = meterDynamoDbRequests(client);
  store = new DynamoDbExecutionStore(client, table.tableName, clock, TEST_STORE_OPTIONS);
});

const fresh = (key: ExecutionKey, retentionSeconds = 3_600): Execution =>
  newExecution({
    key,
    input: { question: "What time do you open?", locale: "en-US" },
    now: clock.now(),
    deadlineMs: 60_000,
    retentionSeconds,
  });

const contact = () => randomUUID();

describe("DynamoDbExecutionStore on dynalite", () => {
  describe("the stored item", () => {
    it("has a numeric turn sort key and a numeric expiresAt for TTL", async () => {
      // Prepare
      const execution = fresh({ contactId: contact(), turn: 12 });
      await store.createIfAbsent(execution);
      const lowLevel = new DynamoDBClient({
        endpoint: table.local.endpoint,
        region: table.local.region,
        credentials: table.local.credentials,
      });

      // Act
      const { Item } = await lowLevel.send(
        new GetItemCommand({
          TableName: table.tableName,
          Key: { contactId: { S: execution.contactId }, turn: { N: "12" } },
          ConsistentRead: true,
        }),
      );
      lowLevel.destroy();

      // Assess
      expect(Item?.turn).toEqual({ N: "12" });
      expect(Item?.expiresAt).toEqual({ N: String(execution.expiresAt) });
      expect(Item?.input?.M?.question).toEqual({ S: "What time do you open?" });
    });
  });

  describe("requests per operation", () => {
    it("creates with one PutItem", async () => {
      // Act
      await store.createIfAbsent(fresh({ contactId: contact(), turn: 1 }));

      // Assess
      expect(meter.operations).toEqual({ PutItem: { calls: 1, attempts: 1, capacityUnits: 0 } });
    });

    it("answers a duplicate create with the refused PutItem and one consistent GetItem", async () => {
      // Prepare
      const execution = fresh({ contactId: contact(), turn: 1 });
      await store.createIfAbsent(execution);
      meter.reset();

      // Act
      await store.createIfAbsent(execution);

      // Assess
      expect(meter.operations.PutItem?.calls).toBe(1);
      expect(meter.operations.GetItem?.calls).toBe(1);
      expect(meter.totalCalls()).toBe(2);
    });

    it("transitions with one UpdateItem and nothing else", async () => {
      // Prepare
      const created = (await store.createIfAbsent(fresh({ contactId: contact(), turn: 1 }))).execution;
      meter.reset();

      // Act
      await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);

      // Assess
      expect(meter.operations).toEqual({ UpdateItem: { calls: 1, attempts: 1, capacityUnits: 0 } });
    });

    it("lists recent turns with one Query when no expired item is in the way", async () => {
      // Prepare
      const contactId = contact();
      for (const turn of [1, 2, 3]) await store.createIfAbsent(fresh({ contactId, turn }));
      meter.reset();

      // Act
      const recent = await store.recentTurns(contactId, 4, 2);

      // Assess
      expect(recent.map((execution) => execution.turn)).toEqual([3, 2]);
      expect(meter.operations).toEqual({ Query: { calls: 1, attempts: 1, capacityUnits: 0 } });
    });

    it("sends no request for zero recent turns", async () => {
      // Act
      const recent = await store.recentTurns(contact(), 10, 0);

      // Assess
      expect(recent).toEqual([]);
      expect(meter.totalCalls()).toBe(0);
    });
  });

  it("pages past newer expired turns to fill the limit with live ones", async () => {
    // Prepare: turns 3 and 4 are kept for a shorter time than 1 and 2, and have expired
    const contactId = contact();
    await store.createIfAbsent(fresh({ contactId, turn: 1 }, 7_200));
    await store.createIfAbsent(fresh({ contactId, turn: 2 }, 7_200));
    await store.createIfAbsent(fresh({ contactId, turn: 3 }, 60));
    await store.createIfAbsent(fresh({ contactId, turn: 4 }, 60));
    await clock.advance(3_600_000);

    // Act
    const recent = await store.recentTurns(contactId, 5, 2);

    // Assess
    expect(recent.map((execution) => execution.turn)).toEqual([2, 1]);
  });

  describe("the 400 KB item bound", () => {
    const runningWithAnswerOf = async (answerFor: (overhead: number) => string) => {
      const created = (await store.createIfAbsent(fresh({ contactId: contact(), turn: 1 }))).execution;
      const running = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);
      const overhead = itemSizeBytes(toItem(complete(running, { now: clock.now(), answer: "" })));
      return { running, answer: answerFor(overhead) };
    };

    it("stores an answer that makes the item exactly 400 KB", async () => {
      // Prepare
      const { running, answer } = await runningWithAnswerOf((overhead) =>
        "a".repeat(MAX_ITEM_BYTES - overhead),
      );

      // Act
      const written = await store.transition(complete(running, { now: clock.now(), answer }), running);

      // Assess
      expect(itemSizeBytes(toItem(written))).toBe(MAX_ITEM_BYTES);
      expect((await store.get(running))?.answer).toHaveLength(answer.length);
    });

    it("refuses one byte more with item_too_large, without sending the write", async () => {
      // Prepare
      const { running, answer } = await runningWithAnswerOf((overhead) =>
        "a".repeat(MAX_ITEM_BYTES - overhead + 1),
      );
      meter.reset();

      // Act
      const attempt = store.transition(complete(running, { now: clock.now(), answer }), running);

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(ItemTooLargeError);
      expect(meter.totalCalls()).toBe(0);
    });

    it("measures a Japanese answer in UTF-8 bytes, three per character", async () => {
      // Prepare
      const { running, answer } = await runningWithAnswerOf((overhead) =>
        "あ".repeat(Math.floor((MAX_ITEM_BYTES - overhead) / 3) + 1),
      );

      // Act
      const attempt = store.transition(complete(running, { now: clock.now(), answer }), running);

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(ItemTooLargeError);
    });
  });
});
