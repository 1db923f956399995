import { randomUUID } from "node:crypto";
import { marshall } from "@aws-sdk/util-dynamodb";
import { StaleExecutionError } from "@holdline/domain/errors";
import { claim, type Execution, newExecution } from "@holdline/domain/execution/execution";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { createDynamoDbClient } from "../../src/dynamodb-client.ts";
import { DynamoDbExecutionStore } from "../../src/dynamodb-execution-store.ts";
import { toItem } from "../../src/execution-item.ts";
import { useLocalExecutionTable } from "../support/local-execution-table.ts";
import { type ScriptedEndpoint, startScriptedEndpoint } from "../support/scripted-endpoint.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_STORE_OPTIONS } from "../support/test-timeouts.ts";

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const LEASE = { leaseMs: 30_000, maxAttempts: 3 };
const table = useLocalExecutionTable();
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const queued = (): Execution =>
  newExecution({
    key: { contactId: randomUUID(), turn: 1 },
    input: { question: "What time do you open?", locale: "en-US" },
    now: T0,
    deadlineMs: 60_000,
    retentionSeconds: 3_600,
    by: "start-1",
  });

/** DynamoDB's refusal of a write that asked for `ReturnValuesOnConditionCheckFailure: ALL_OLD`. */
async function refusingEndpoint(stored: Execution): Promise<ScriptedEndpoint> {
  const endpoint = await startScriptedEndpoint(() => ({
    status: 400,
    body: {
      __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
      message: "The conditional request failed",
      Item: marshall(toItem(stored)),
    },
  }));
  cleanups.push(() => endpoint.close());
  return endpoint;
}

function storeAt(endpoint: string): DynamoDbExecutionStore {
  const client = createDynamoDbClient({
    endpoint,
    region: "us-east-1",
    credentials: LOCAL_CREDENTIALS,
    ...TEST_CLIENT_TIMEOUTS,
  });
  cleanups.push(() => client.destroy());
  return new DynamoDbExecutionStore(client, "executions", new ManualClock(T0), TEST_STORE_OPTIONS);
}

describe("refusals that carry the refusing item (ReturnValuesOnConditionCheckFailure: ALL_OLD)", () => {
  it("a refused transition hands on the stored execution DynamoDB returned, with no read", async () => {
    // Prepare
    const created = queued();
    const stored = claim(created, { now: T0 + 10, ...LEASE, by: "worker-1" });
    const endpoint = await refusingEndpoint(stored);
    const store = storeAt(endpoint.url);

    // Act
    const error = await store
      .transition(claim(created, { now: T0 + 20, ...LEASE, by: "worker-2" }), created)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );

    // Assess
    expect(error).toBeInstanceOf(StaleExecutionError);
    expect((error as StaleExecutionError).current).toEqual(stored);
    expect(endpoint.requests).toBe(1);
  });

  it("a refused create returns the existing execution DynamoDB returned, without a GetItem", async () => {
    // Prepare
    const existing = queued();
    const endpoint = await refusingEndpoint(existing);
    const store = storeAt(endpoint.url);

    // Act
    const result = await store.createIfAbsent({ ...existing, lastWriter: "start-2" });

    // Assess
    expect(result).toEqual({ created: false, execution: existing });
    expect(endpoint.requests).toBe(1);
  });

  it("asks for the refusing item with every conditional write", async () => {
    // Prepare
    const client = table.clientWith({});
    const inputs: Record<string, unknown>[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        inputs.push(args.input as Record<string, unknown>);
        return next(args);
      },
      { step: "initialize", name: "recordInputs" },
    );
    const store = new DynamoDbExecutionStore(
      client,
      table.tableName,
      new ManualClock(T0),
      TEST_STORE_OPTIONS,
    );
    const created = queued();

    // Act
    await store.createIfAbsent(created);
    await store.transition(claim(created, { now: T0 + 10, ...LEASE, by: "worker-1" }), created);

    // Assess
    expect(inputs.map((input) => input.ReturnValuesOnConditionCheckFailure)).toEqual(["ALL_OLD", "ALL_OLD"]);
  });
});
