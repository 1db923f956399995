import { type DynamoDBClient, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DynamoDbStreamMapping,
  type DynamoDbStreamMappingOptions,
  type DynamoDbStreamOnFailureRecord,
} from "../../src/dynamodb-streams/stream-mapping.ts";
import { StreamsHarness } from "../support/dynamodb-streams-harness.ts";
import { ManualClock as VirtualClock } from "@holdline/domain/testing/clock/manual-clock";

let harness: StreamsHarness;
const mappings: DynamoDbStreamMapping[] = [];
beforeAll(async () => {
  harness = await StreamsHarness.start();
});
afterEach(async () => {
  for (const mapping of mappings.splice(0)) await mapping.close();
  await harness.closeTables();
});
afterAll(() => harness.stop());

const START = Date.UTC(2026, 4, 1, 12, 0, 0);

/** A table behind the capture, a mapping on its stream with `settings`, and what the handler was given. */
async function setUp(
  settings: Omit<DynamoDbStreamMappingOptions, "stream" | "handler" | "clock">,
  behaviour: (
    event: DynamoDBStreamEvent,
    call: number,
  ) => DynamoDBBatchResponse | undefined | Promise<never> = () => undefined,
) {
  const clock = new VirtualClock(START);
  const { tableName, capture, client } = await harness.table(clock);
  const batches: { at: number; turns: string[]; eventIDs: string[] }[] = [];
  const failures: DynamoDbStreamOnFailureRecord[] = [];
  const mapping = new DynamoDbStreamMapping({
    ...settings,
    stream: capture.stream,
    clock,
    functionArn: "arn:aws:lambda:us-east-1:123456789012:function:answer-by-sms",
    DestinationConfig: { OnFailure: { Destination: (record) => void failures.push(record) } },
    handler: async (event) => {
      batches.push({
        at: clock.now(),
        turns: event.Records.map((record) => record.dynamodb?.Keys?.sk?.N ?? "?"),
        eventIDs: event.Records.map((record) => record.eventID ?? "?"),
      });
      return behaviour(event, batches.length);
    },
  });
  mappings.push(mapping);
  const put = (turn: number, status = "queued") =>
    client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: "call-1" }, sk: { N: String(turn) }, status: { S: status } },
      }),
    );
  const settled = () => clock.run(mapping.settled());
  return { clock, tableName, client, capture, mapping, batches, failures, put, settled };
}

const throwsOn = (turn: string) => (event: DynamoDBStreamEvent) => {
  if (event.Records.some((record) => record.dynamodb?.Keys?.sk?.N === turn))
    throw new Error(`poison turn ${turn}`);
  return undefined;
};

const update = (client: DynamoDBClient, tableName: string, status: string) =>
  client.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: { pk: { S: "call-1" }, sk: { N: "1" } },
      UpdateExpression: "SET #s = :s",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":s": { S: status } },
    }),
  );

describe("DynamoDbStreamMapping: Lambda's event source mapping for a DynamoDB stream, on virtual time", () => {
  it("delivers the records in order, in batches of at most BatchSize, one poll interval after they arrive", async () => {
    // Prepare
    const { put, batches, settled } = await setUp({ BatchSize: 2 });

    // Act
    for (const turn of [1, 2, 3, 4, 5]) await put(turn);
    await settled();

    // Assess
    expect(batches.map((batch) => batch.turns)).toEqual([["1", "2"], ["3", "4"], ["5"]]);
    expect(batches[0]?.at).toBe(START + 250);
  });

  it("delivers INSERT, MODIFY and REMOVE of one item in the order they happened", async () => {
    // Prepare
    const { put, client, tableName, batches, settled, capture } = await setUp({ BatchSize: 1 });

    // Act
    await put(1);
    await update(client, tableName, "completed");
    await capture.simulateTtlDeletion({ pk: { S: "call-1" }, sk: { N: "1" } });
    await settled();

    // Assess
    expect(batches.map((batch) => batch.eventIDs[0])).toEqual(
      capture.stream.records.map((record) => record.eventID),
    );
    expect(capture.stream.records.map((record) => record.eventName)).toEqual(["INSERT", "MODIFY", "REMOVE"]);
  });

  it("waits up to MaximumBatchingWindowInSeconds to fill a batch, and no longer once it is full", async () => {
    // Prepare
    const { put, clock, batches, settled } = await setUp({ BatchSize: 3, MaximumBatchingWindowInSeconds: 5 });

    // Act
    await put(1);
    await clock.advance(2_000);
    await put(2);
    await settled();
    await put(3);
    await clock.advance(1_000);
    await put(4);
    await put(5);
    await settled();

    // Assess
    expect(batches.map((batch) => [batch.turns, batch.at - START])).toEqual([
      [["1", "2"], 250 + 5_000],
      [["3", "4", "5"], 250 + 5_000 + 1_000],
    ]);
  });

  it("drops records that match no FilterCriteria pattern, as processed", async () => {
    // Prepare
    const pattern = { dynamodb: { NewImage: { status: { S: ["completed"] } } } };
    const { put, mapping, batches, settled, capture } = await setUp({
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(pattern) }] },
    });

    // Act
    await put(1, "queued");
    await put(2, "completed");
    await put(3, "failed");
    await settled();

    // Assess
    expect(batches.map((batch) => batch.turns)).toEqual([["2"]]);
    const sequence = capture.stream.entries.map((entry) => entry.sequenceNumber);
    expect(mapping.filteredOut).toEqual([sequence[0], sequence[2]]);
  });

  it("with ReportBatchItemFailures, retries from the first failed record only", async () => {
    // Prepare
    const { put, batches, settled, mapping } = await setUp(
      { FunctionResponseTypes: ["ReportBatchItemFailures"] },
      (event, call) =>
        call === 1
          ? { batchItemFailures: [{ itemIdentifier: event.Records[2]?.dynamodb?.SequenceNumber ?? "" }] }
          : { batchItemFailures: [] },
    );

    // Act
    for (const turn of [1, 2, 3, 4]) await put(turn);
    await settled();

    // Assess
    expect(batches.map((batch) => batch.turns)).toEqual([
      ["1", "2", "3", "4"],
      ["3", "4"],
    ]);
    expect(mapping.invocations.map((invocation) => invocation.outcome)).toEqual([
      "partial_failure",
      "succeeded",
    ]);
  });

  it("with BisectBatchOnFunctionError, splits a failing batch to isolate the record that throws", async () => {
    // Prepare
    const { put, batches, failures, settled, capture } = await setUp(
      { BisectBatchOnFunctionError: true, MaximumRetryAttempts: 0 },
      throwsOn("3"),
    );

    // Act
    for (const turn of [1, 2, 3, 4]) await put(turn);
    await settled();

    // Assess
    expect(batches.map((batch) => batch.turns)).toEqual([
      ["1", "2", "3", "4"],
      ["1", "2"],
      ["3", "4"],
      ["3"],
      ["4"],
    ]);
    const poison = capture.stream.entries[2]?.sequenceNumber;
    expect(failures.map((failure) => failure.DDBStreamBatchInfo)).toMatchObject([
      { startSequenceNumber: poison, endSequenceNumber: poison, batchSize: 1 },
    ]);
  });

  it("after MaximumRetryAttempts, sends the batch's metadata to the on-failure destination and moves on", async () => {
    // Prepare
    const { put, batches, failures, settled, capture, mapping } = await setUp(
      { MaximumRetryAttempts: 2 },
      throwsOn("1"),
    );

    // Act
    await put(1);
    await put(2);
    await settled();
    await put(3);
    await settled();

    // Assess
    expect(batches.map((batch) => [batch.turns, batch.at - START])).toEqual([
      [["1", "2"], 250],
      [["1", "2"], 250 + 1_000],
      [["1", "2"], 250 + 1_000 + 2_000],
      [["3"], 250 + 1_000 + 2_000 + 250],
    ]);
    const [first, second] = capture.stream.entries;
    expect(failures).toEqual([
      {
        requestContext: {
          requestId: mapping.invocations[2]?.requestId,
          functionArn: "arn:aws:lambda:us-east-1:123456789012:function:answer-by-sms",
          condition: "RetryAttemptsExhausted",
          approximateInvokeCount: 3,
        },
        responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
        version: "1.0",
        timestamp: new Date(START + 3_250).toISOString(),
        DDBStreamBatchInfo: {
          shardId: capture.stream.shardId,
          startSequenceNumber: first?.sequenceNumber,
          endSequenceNumber: second?.sequenceNumber,
          approximateArrivalOfFirstRecord: "2026-05-01T12:00:00Z",
          approximateArrivalOfLastRecord: "2026-05-01T12:00:00Z",
          batchSize: 2,
          streamArn: capture.stream.streamArn,
        },
      },
    ]);
    expect(capture.stream.shardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
  });

  it("discards records older than MaximumRecordAgeInSeconds, even while retries remain", async () => {
    // Prepare
    const { put, batches, failures, settled } = await setUp({ MaximumRecordAgeInSeconds: 60 }, throwsOn("1"));

    // Act
    await put(1);
    await settled();

    // Assess
    expect(failures.map((failure) => failure.requestContext.condition)).toEqual(["RecordAgeExceeded"]);
    expect(failures[0]?.requestContext.approximateInvokeCount).toBe(batches.length);
    expect(batches.at(-1)?.at).toBeLessThanOrEqual(START + 60_000);
    expect(Date.parse(failures[0]?.timestamp ?? "")).toBeGreaterThan(START + 60_000);
  });

  it("delivers a batch again on demand, as at-least-once delivery may", async () => {
    // Prepare
    const { put, mapping, batches, settled } = await setUp({});
    mapping.duplicateNextBatches(1);

    // Act
    await put(1);
    await put(2);
    await settled();
    await put(3);
    await settled();

    // Assess
    expect(batches.map((batch) => batch.turns)).toEqual([["1", "2"], ["1", "2"], ["3"]]);
    expect(batches[1]?.eventIDs).toEqual(batches[0]?.eventIDs);
    expect(mapping.invocations.map((invocation) => invocation.duplicate)).toEqual([false, true, false]);
  });

  it("treats a handler that runs past its timeout as a function error", async () => {
    // Prepare
    const { put, mapping, failures, settled } = await setUp(
      { MaximumRetryAttempts: 0, timeoutMs: 5_000 },
      () => new Promise<never>(() => undefined),
    );

    // Act
    await put(1);
    await settled();

    // Assess
    expect(mapping.invocations.map((invocation) => invocation.error)).toEqual([
      "Error: Task timed out after 5.00 seconds",
    ]);
    expect(failures.map((failure) => [failure.requestContext.condition, failure.timestamp])).toEqual([
      ["RetryAttemptsExhausted", new Date(START + 250 + 5_000).toISOString()],
    ]);
  });
});
