import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { capturedOutput } from "@holdline/composition/testing/captured-output";
import { TextSendError } from "@holdline/domain/errors";
import { claim, complete, newExecution } from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { TextDeliveryStoreId } from "@holdline/domain/ports/text-delivery-store.port";
import { TextMessageSenderId } from "@holdline/domain/ports/text-message-sender.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import {
  InMemoryExecutionStore,
  type ItemChange,
} from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { RecordingTextSender } from "@holdline/domain/testing/fakes/recording-text-sender";
import { callerLeft, consent, type DeliveryView } from "@holdline/domain/text-delivery/text-delivery";
import type { DynamoDBRecord } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";
import { streamEvent, streamRecord, withKeys } from "../support/stream-records.ts";

const config = loadConfig({
  HOLDLINE_TABLE_NAME: "executions",
  HOLDLINE_SMS_ORIGINATION_IDENTITY: "pool-holdline",
  AWS_REGION: "ap-northeast-1",
});
const budget = budgetFrom(config);
const PHONE = "+819012345678";
const ANSWER = "平日は九時から十八時までです。";
const KEY = { contactId: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", turn: 1 };

function harness() {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const sender = new RecordingTextSender();
  const container = buildContainer(config, budget);
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(TextDeliveryStoreId).toConstantValue(store);
  container.rebind(TextMessageSenderId).toConstantValue(sender);
  const handler = createHandler(dependenciesFrom(container, budget));
  const changes: ItemChange[] = [];
  store.onChange((change) => changes.push(change));

  /**
   * A turn whose caller consented and left, then completed: the stream record the filter lets through (the
   * change that made it an ended turn with a due delivery).
   */
  const dueAndCompleted = async (key = KEY): Promise<DynamoDBRecord> => {
    const { execution: queued } = await store.createIfAbsent(
      newExecution({
        key,
        input: { question: "営業時間は？", locale: "ja-JP" },
        now: clock.now(),
        deadlineMs: budget.policy.deadlineMs,
        retentionSeconds: budget.policy.retentionSeconds,
      }),
    );
    const running = await store.transition(
      claim(queued, { now: clock.now(), leaseMs: budget.policy.leaseMs, maxAttempts: 2 }),
      queued,
    );
    const consented = await store.writeDelivery(key, consent({ to: PHONE, now: clock.now() }), {
      expectedRevision: 0,
    });
    const due = callerLeft(consented, clock.now());
    if (due === undefined) throw new Error("not due");
    await store.writeDelivery(key, due, { expectedRevision: consented.revision });
    await store.transition(complete(running, { now: clock.now(), answer: ANSWER }), running);
    const last = changes.at(-1);
    if (last?.after === undefined) throw new Error("no change captured");
    return streamRecord(last.before, last.after as DeliveryView);
  };
  return { clock, store, sender, handler, dueAndCompleted };
}

describe("text-delivery handler", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("sends the answer of a due, completed turn once and records it sent", async () => {
    // Prepare
    const { handler, sender, store, dueAndCompleted } = harness();
    const record = await dueAndCompleted();

    // Act
    const response = await handler(streamEvent(record));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sender.sent).toEqual([{ to: PHONE, body: expect.stringContaining(ANSWER) }]);
    expect((await store.readDelivery(KEY))?.delivery).toMatchObject({ state: "sent", kind: "answer" });
  });

  it("sends once for a duplicate record in the same batch, both succeeding", async () => {
    const { handler, sender, dueAndCompleted } = harness();
    const record = await dueAndCompleted();

    const response = await handler(streamEvent(record, { ...record }));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sender.attempts).toBe(1);
  });

  it("sends once for a record delivered again in a later batch", async () => {
    const { handler, sender, dueAndCompleted } = harness();
    const record = await dueAndCompleted();
    await handler(streamEvent(record));

    const again = await handler(streamEvent(record));

    expect(again).toEqual({ batchItemFailures: [] });
    expect(sender.sent).toHaveLength(1);
  });

  it("reports a send that may succeed later as that record's batch item failure, and sends on the retry", async () => {
    // Prepare
    const { handler, sender, store, dueAndCompleted } = harness();
    const other = await dueAndCompleted({ contactId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", turn: 1 });
    const record = await dueAndCompleted();
    const original = sender.send.bind(sender);
    sender.send = async (message) => {
      if (sender.attempts === 1) {
        sender.attempts += 1;
        throw new TextSendError("text_throttled", "simulated throttling", { retryable: true });
      }
      return original(message);
    };

    // Act
    const first = await handler(streamEvent(other, record));
    const retried = await handler(streamEvent(record));

    // Assess
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber }] });
    expect(retried).toEqual({ batchItemFailures: [] });
    expect((await store.readDelivery(KEY))?.delivery).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("records a send that can never succeed as failed, and the record succeeds", async () => {
    const { handler, sender, store, dueAndCompleted } = harness();
    const record = await dueAndCompleted();
    sender.failNext(1, new TextSendError("text_rejected", "opted out", { retryable: false }));

    const response = await handler(streamEvent(record));

    expect(response).toEqual({ batchItemFailures: [] });
    expect((await store.readDelivery(KEY))?.delivery).toMatchObject({
      state: "failed",
      error: { code: "text_rejected" },
    });
  });

  it("fails the record when the store is down, so the mapping retries it", async () => {
    const { handler, store, sender, dueAndCompleted } = harness();
    const record = await dueAndCompleted();
    store.failWith();

    const response = await handler(streamEvent(record));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber }] });
    expect(sender.attempts).toBe(0);
  });

  it.each([
    ["no Keys", undefined],
    ["Keys that are not an execution's", { pk: { S: "x" } }],
    ["a turn that is not a number", { contactId: { S: "c" }, turn: { S: "one" } }],
    ["Keys that are not DynamoDB JSON", { contactId: { Q: "c" }, turn: { N: "1" } }],
  ])(
    "logs and lets through a record with %s: no retry can fix it, the shard goes on",
    async (_name, keys) => {
      // Prepare
      const output = capturedOutput();
      const { handler, sender, dueAndCompleted } = harness();
      const good = await dueAndCompleted();
      const bad = withKeys(good, keys);

      // Act
      const response = await handler(streamEvent(bad, good));

      // Assess
      expect(response).toEqual({ batchItemFailures: [] });
      expect(sender.sent).toHaveLength(1);
      expect(output.logs()).toContainEqual(
        expect.objectContaining({
          level: "ERROR",
          message: "dropped a stream record whose key cannot be read",
        }),
      );
    },
  );

  it("leaves a record for the retry when the invocation has less than one record's worst case left", async () => {
    const { handler, sender, dueAndCompleted } = harness();
    const record = await dueAndCompleted();
    const context = { getRemainingTimeInMillis: () => budget.textDelivery.recordWorstCaseMs - 1 };

    const response = await handler(streamEvent(record), context as never);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber }] });
    expect(sender.attempts).toBe(0);
  });

  it("logs each outcome with the key and the masked number, never the number or the text, and counts them", async () => {
    // Prepare
    const output = capturedOutput();
    const { handler, sender, dueAndCompleted } = harness();
    const record = await dueAndCompleted();
    const second = { contactId: "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", turn: 1 };
    const failing = await dueAndCompleted(second);

    // Act
    await handler(streamEvent(record, record));
    sender.failNext(1, new TextSendError("text_rejected", "invalid number", { retryable: false }));
    await handler(streamEvent(failing));

    // Assess
    const text = output.text();
    expect(text).not.toContain("9012345678");
    expect(text).not.toContain(ANSWER);
    expect(text).not.toContain("九時");
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: "text sent", executionId: `${KEY.contactId}#1`, kind: "answer" }),
    );
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: "no text to send", reason: "done" }),
    );
    expect(output.metrics()).toContainEqual(expect.objectContaining({ kind: "answer", TextsSent: 1 }));
    expect(output.metrics()).toContainEqual(expect.objectContaining({ TextDeliveriesFailed: 1 }));
  });
});
