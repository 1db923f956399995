import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { itemSizeBytes } from "../../src/dynamodb-streams/stream.ts";
import { StreamsHarness } from "../support/dynamodb-streams-harness.ts";
import { ManualClock as VirtualClock } from "@holdline/domain/testing/clock/manual-clock";

let harness: StreamsHarness;
beforeAll(async () => {
  harness = await StreamsHarness.start();
});
afterEach(() => harness.closeTables());
afterAll(() => harness.stop());

const key = { pk: { S: "call-1" }, sk: { N: "1" } };
const images = (record: DynamoDBRecord | undefined) => ({
  eventName: record?.eventName,
  Keys: record?.dynamodb?.Keys,
  OldImage: record?.dynamodb?.OldImage,
  NewImage: record?.dynamodb?.NewImage,
});

describe("DynamoDB Streams change capture (dynalite behind the capture proxy, real SDK client)", () => {
  it("records INSERT, then MODIFY, then REMOVE, with the images DynamoDB Streams carries, in order", async () => {
    // Prepare
    const clock = new VirtualClock(Date.UTC(2026, 4, 1, 12, 0, 0, 700));
    const { tableName, capture, client } = await harness.table(clock);

    // Act
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...key, status: { S: "queued" } } }),
    );
    await clock.advance(2_000);
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "SET #s = :s, answer = :a",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":s": { S: "completed" }, ":a": { S: "Yes, we open at nine." } },
      }),
    );
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: key }));

    // Assess
    const records = capture.stream.records;
    expect(records.map(images)).toEqual([
      { eventName: "INSERT", Keys: key, OldImage: undefined, NewImage: { ...key, status: { S: "queued" } } },
      {
        eventName: "MODIFY",
        Keys: key,
        OldImage: { ...key, status: { S: "queued" } },
        NewImage: { ...key, status: { S: "completed" }, answer: { S: "Yes, we open at nine." } },
      },
      {
        eventName: "REMOVE",
        Keys: key,
        OldImage: { ...key, status: { S: "completed" }, answer: { S: "Yes, we open at nine." } },
        NewImage: undefined,
      },
    ]);
    expect("OldImage" in (records[0]?.dynamodb ?? {})).toBe(false);
    expect("NewImage" in (records[2]?.dynamodb ?? {})).toBe(false);
    const streamArn = `arn:aws:dynamodb:us-east-1:123456789012:table/${tableName}/stream/2026-05-01T12:00:00.700`;
    expect(records[1]).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: "MODIFY",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "us-east-1",
      eventSourceARN: streamArn,
      dynamodb: {
        ApproximateCreationDateTime: Date.UTC(2026, 4, 1, 12, 0, 2) / 1_000,
        Keys: key,
        OldImage: records[1]?.dynamodb?.OldImage,
        NewImage: records[1]?.dynamodb?.NewImage,
        SequenceNumber: expect.stringMatching(/^[1-9]\d{20}$/),
        SizeBytes:
          itemSizeBytes(key) +
          itemSizeBytes(records[1]?.dynamodb?.OldImage ?? {}) +
          itemSizeBytes(records[1]?.dynamodb?.NewImage ?? {}),
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    });
    const sequence = records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? "0"));
    expect(sequence[0]! < sequence[1]! && sequence[1]! < sequence[2]!).toBe(true);
    expect(new Set(records.map((record) => record.eventID)).size).toBe(3);
  });

  it("records nothing for a failed conditional write, nor for writes that change nothing", async () => {
    // Prepare
    const { tableName, capture, client } = await harness.table();
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...key, status: { S: "queued" } } }),
    );

    // Act
    const conditional = client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...key, status: { S: "claimed" } },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    await expect(conditional).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...key, status: { S: "queued" } } }),
    );
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "SET #s = :s",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":s": { S: "queued" } },
      }),
    );
    await client.send(new DeleteItemCommand({ TableName: tableName, Key: { ...key, sk: { N: "2" } } }));

    // Assess
    expect(capture.stream.records.map((record) => record.eventName)).toEqual(["INSERT"]);
  });

  it("serialises concurrent writes per item, so each record's old image is the previous record's new image", async () => {
    // Prepare
    const { tableName, capture, client } = await harness.table();

    // Act
    await Promise.all(
      Array.from({ length: 8 }, () =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: "ADD hits :one",
            ExpressionAttributeValues: { ":one": { N: "1" } },
          }),
        ),
      ),
    );

    // Assess
    const records = capture.stream.records;
    expect(records.map((record) => record.dynamodb?.NewImage?.hits?.N)).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
      "8",
    ]);
    expect(records.map((record) => record.dynamodb?.OldImage?.hits?.N)).toEqual([
      undefined,
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
    ]);
  });

  it("records each changed item of a BatchWriteItem", async () => {
    // Prepare
    const { tableName, capture, client } = await harness.table();
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...key, status: { S: "queued" } } }),
    );
    const other = { pk: { S: "call-2" }, sk: { N: "1" } };

    // Act
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [tableName]: [
            { DeleteRequest: { Key: key } },
            { PutRequest: { Item: { ...other, status: { S: "queued" } } } },
          ],
        },
      }),
    );

    // Assess
    expect(capture.stream.records.map((record) => [record.eventName, record.dynamodb?.Keys?.pk?.S])).toEqual([
      ["INSERT", "call-1"],
      ["REMOVE", "call-1"],
      ["INSERT", "call-2"],
    ]);
  });

  it("refuses TransactWriteItems on the watched table loudly, and applies nothing", async () => {
    // Prepare
    const { tableName, capture, client } = await harness.table();

    // Act
    const transaction = client.send(
      new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: tableName, Item: key } }] }),
    );

    // Assess
    await expect(transaction).rejects.toThrow(/refuses TransactWriteItems on the watched table/);
    expect(capture.refused.map((refusal) => refusal.operation)).toEqual(["TransactWriteItems"]);
    expect((await client.send(new GetItemCommand({ TableName: tableName, Key: key }))).Item).toBeUndefined();
    expect(capture.stream.records).toEqual([]);
  });

  it("simulates a TTL deletion: a REMOVE whose userIdentity is DynamoDB's service principal", async () => {
    // Prepare
    const { tableName, capture, client } = await harness.table();
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...key, expiresAt: { N: "1767225600" } } }),
    );

    // Act
    const removal = await capture.simulateTtlDeletion(key);
    const again = await capture.simulateTtlDeletion(key);

    // Assess
    expect(removal).toMatchObject({
      eventName: "REMOVE",
      userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" },
      dynamodb: { Keys: key, OldImage: { ...key, expiresAt: { N: "1767225600" } } },
    });
    expect(capture.stream.records.map((record) => record.userIdentity)).toEqual([
      undefined,
      { type: "Service", principalId: "dynamodb.amazonaws.com" },
    ]);
    expect(again).toBeUndefined();
    expect((await client.send(new GetItemCommand({ TableName: tableName, Key: key }))).Item).toBeUndefined();
  });
});

describe("stream record SizeBytes", () => {
  it("counts keys and images as DynamoDB counts item sizes (the AWS documentation's example records)", () => {
    // Prepare: the INSERT and MODIFY of Lambda's DynamoDB example event (SizeBytes 26 and 59).
    const keys = { Id: { N: "101" } };
    const inserted = { Message: { S: "New item!" }, Id: { N: "101" } };
    const modified = { Message: { S: "This item has changed" }, Id: { N: "101" } };

    // Act
    const insert = itemSizeBytes(keys) + itemSizeBytes(inserted);
    const modify = itemSizeBytes(keys) + itemSizeBytes(inserted) + itemSizeBytes(modified);

    // Assess
    expect([insert, modify]).toEqual([26, 59]);
  });
});
