import { randomUUID } from "node:crypto";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import type { ExecutionKey } from "@holdline/domain/execution/execution";
import type { ExecutionPolicy } from "@holdline/domain/execution/execution-policy";
import { RecordingDispatcher } from "@holdline/domain/testing/fakes/recording-dispatcher";
import { answer, ScriptedLlmClient } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { ExecutionSupervisor } from "@holdline/domain/use-cases/execution-supervisor";
import { RunExecution } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { StartExecution } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { afterEach, describe, expect, it } from "vitest";
import { DynamoDbExecutionStore } from "../../src/dynamodb-execution-store.ts";
import { meterDynamoDbRequests } from "../support/dynamodb-request-meter.ts";
import { useLocalExecutionTable } from "../support/local-execution-table.ts";
import { type ReplyDroppingRelay, startReplyDroppingRelay } from "../support/reply-dropping-relay.ts";
import { TEST_STORE_OPTIONS } from "../support/test-timeouts.ts";

const POLICY: ExecutionPolicy = {
  deadlineMs: 60_000,
  leaseMs: 20_000,
  maxAttempts: 1,
  lostDispatchAfterMs: 5_000,
  pollIntervalMs: 250,
  retentionSeconds: 3_600,
  historyTurns: 0,
};

const table = useLocalExecutionTable();
const relays: ReplyDroppingRelay[] = [];

afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
});

/** The domain on the DynamoDB store, reaching dynalite through a relay that can drop a reply. */
async function holdlineBehindRelay() {
  const relay = await startReplyDroppingRelay(table.local.endpoint);
  relays.push(relay);
  // Two attempts, as the budget gives the apps: the SDK's retry is what finds the write already applied.
  const client = table.clientWith({ endpoint: relay.url, maxAttempts: 2 });
  const meter = meterDynamoDbRequests(client);
  const clock = new SystemClock();
  const store = new DynamoDbExecutionStore(client, table.tableName, clock, TEST_STORE_OPTIONS);
  const llm = new ScriptedLlmClient(clock, [answer("We open at nine.", 10)]);
  const dispatcher = new RecordingDispatcher();
  const supervisor = new ExecutionSupervisor(store, dispatcher, clock, POLICY);
  return {
    relay,
    meter,
    store,
    llm,
    dispatcher,
    start: new StartExecution(store, supervisor, clock, POLICY),
    run: new RunExecution(store, llm, clock, POLICY),
  };
}

const question = { question: "What time do you open?", locale: "en-US" };
const newKey = (): ExecutionKey => ({ contactId: randomUUID(), turn: 1 });

describe("a reply lost after DynamoDB applied the write, through the SDK on dynalite", () => {
  it("claim: the SDK's retry is refused, the worker recognises its claim and calls the model once", async () => {
    // Prepare
    const { relay, meter, store, llm, start, run } = await holdlineBehindRelay();
    const key = newKey();
    await start.execute({ key, input: question, fastPathWaitMs: 0 });
    relay.dropNextReply("UpdateItem");
    meter.reset();

    // Act
    const result = await run.execute(key);

    // Assess
    expect(relay.dropped).toBe(1);
    expect(meter.operations.UpdateItem?.attempts).toBe(3);
    expect(result.outcome).toBe("completed");
    expect(llm.calls).toBe(1);
    expect(await store.get(key)).toMatchObject({
      status: "completed",
      answer: "We open at nine.",
      attempt: 1,
    });
  });

  it("complete: the SDK's retry is refused, the worker recognises its answer as recorded", async () => {
    // Prepare
    const { relay, store, start, run } = await holdlineBehindRelay();
    const key = newKey();
    await start.execute({ key, input: question, fastPathWaitMs: 0 });
    // The claim's reply arrives; the completion's is dropped.
    relay.dropNextReply("UpdateItem", (body) => body.includes('"completed"'));

    // Act
    const result = await run.execute(key);

    // Assess
    expect(relay.dropped).toBe(1);
    expect(result.outcome).toBe("completed");
    expect(await store.get(key)).toMatchObject({ status: "completed", answer: "We open at nine." });
  });

  it("create: the SDK's retry is refused, and the start that created the execution dispatches it at once", async () => {
    // Prepare
    const { relay, dispatcher, start } = await holdlineBehindRelay();
    const key = newKey();
    relay.dropNextReply("PutItem");

    // Act
    const result = await start.execute({ key, input: question, fastPathWaitMs: 0 });

    // Assess
    expect(relay.dropped).toBe(1);
    expect(result.created).toBe(true);
    expect(dispatcher.dispatched).toEqual([key]);
  });
});
