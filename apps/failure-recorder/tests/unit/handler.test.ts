import { claim, newExecution, newWriterToken } from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions" });
const budget = budgetFrom(config);
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 2 };

/** An on-failure destination record as Lambda writes it for an asynchronous invocation that ran out of retries. */
const invocationRecord = (payload: unknown = { contactId: KEY.contactId, turn: KEY.turn }) => ({
  version: "1.0",
  timestamp: "2026-11-23T09:00:05.123Z",
  requestContext: {
    requestId: "e4b46cbf-b738-xmpl-8880-a18cdf61200e",
    functionArn: "arn:aws:lambda:ap-northeast-1:111122223333:function:holdline-answer-worker:$LATEST",
    condition: "RetriesExhausted",
    approximateInvokeCount: 3,
  },
  requestPayload: payload,
  responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
  responsePayload: {
    errorType: "Runtime.ExitError",
    errorMessage: "RequestId: e4b4 Error: Runtime exited with error: signal: killed",
  },
});

const sqsRecord = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: "1",
    SentTimestamp: "1763888405123",
    SenderId: "AIDAEXAMPLE",
    ApproximateFirstReceiveTimestamp: "1763888405130",
  },
  messageAttributes: {},
  md5OfBody: "",
  eventSource: "aws:sqs",
  eventSourceARN: "arn:aws:sqs:ap-northeast-1:111122223333:holdline-worker-failures",
  awsRegion: "ap-northeast-1",
});

const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

function harness() {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const container = buildContainer(config, budget);
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(ExecutionStoreId).toConstantValue(store);
  const handler = createHandler(dependenciesFrom(container));
  const register = () =>
    store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "q", locale: "en-US" },
        now: clock.now(),
        deadlineMs: budget.policy.deadlineMs,
        retentionSeconds: budget.policy.retentionSeconds,
      }),
    );
  return { clock, store, handler, register };
}

describe("failure-recorder handler", () => {
  it("fails the execution named by the invocation record with worker_failed", async () => {
    // Prepare
    const { handler, store, register } = harness();
    await register();

    // Act
    const response = await handler(sqsEvent(sqsRecord("m1", JSON.stringify(invocationRecord()))));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const failed = await store.get(KEY);
    expect(failed).toMatchObject({ status: "failed", error: { code: "worker_failed", retryable: false } });
    expect(failed?.error?.message).toMatch(/RetriesExhausted, 3 attempts\): Runtime.ExitError/);
  });

  it("fails a running execution at once when the record names the invocation holding its last attempt", async () => {
    // Prepare: the second (last) attempt, claimed by the invocation the record names, died.
    const { handler, store, register, clock } = harness();
    const { execution } = await register();
    const { leaseMs, maxAttempts } = budget.policy;
    const first = await store.transition(
      claim(execution, { now: clock.now(), leaseMs, maxAttempts }),
      execution,
    );
    await clock.advance(leaseMs);
    const by = newWriterToken(invocationRecord().requestContext.requestId);
    await store.transition(claim(first, { now: clock.now(), leaseMs, maxAttempts, by }), first);

    // Act
    await handler(sqsEvent(sqsRecord("m1", JSON.stringify(invocationRecord()))));

    // Assess
    expect(await store.get(KEY)).toMatchObject({ status: "failed", error: { code: "worker_failed" } });
  });

  it("leaves a running execution to its lease when another attempt may still start", async () => {
    // Prepare
    const { handler, store, register, clock } = harness();
    const { execution } = await register();
    const { leaseMs, maxAttempts } = budget.policy;
    const by = newWriterToken(invocationRecord().requestContext.requestId);
    await store.transition(claim(execution, { now: clock.now(), leaseMs, maxAttempts, by }), execution);

    // Act
    const response = await handler(sqsEvent(sqsRecord("m1", JSON.stringify(invocationRecord()))));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await store.get(KEY))?.status).toBe("running");
  });

  it("treats a redelivered record as done", async () => {
    const { handler, register } = harness();
    await register();
    const body = JSON.stringify(invocationRecord());
    await handler(sqsEvent(sqsRecord("m1", body)));

    expect(await handler(sqsEvent(sqsRecord("m1", body)))).toEqual({ batchItemFailures: [] });
  });

  it("reports only the records it could not process", async () => {
    // Prepare
    const { handler, register } = harness();
    await register();

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord("good", JSON.stringify(invocationRecord())),
        sqsRecord("not-json", "{oops"),
        sqsRecord("not-a-record", JSON.stringify({ hello: "world" })),
        sqsRecord("bad-payload", JSON.stringify(invocationRecord({ contactId: 7 }))),
      ),
    );

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      "not-json",
      "not-a-record",
      "bad-payload",
    ]);
  });

  it("returns every record when the store is down, without throwing", async () => {
    const { handler, store, register } = harness();
    await register();
    store.failWith();

    const response = await handler(sqsEvent(sqsRecord("m1", JSON.stringify(invocationRecord()))));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m1" }] });
  });

  it("does not change an execution that already completed", async () => {
    const { handler, store, register, clock } = harness();
    const { execution } = await register();
    const running = await store.transition(
      { ...execution, status: "running", attempt: 1, version: 2, leaseUntil: clock.now() + 1 },
      execution,
    );
    await store.transition({ ...running, status: "completed", answer: "done", version: 3 }, running);

    await handler(sqsEvent(sqsRecord("m1", JSON.stringify(invocationRecord()))));

    expect(await store.get(KEY)).toMatchObject({ status: "completed", answer: "done" });
  });
});
