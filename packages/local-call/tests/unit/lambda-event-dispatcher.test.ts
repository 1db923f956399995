import { parseInvocationRecord } from "@holdline/app-failure-recorder/invocation-record";
import { DispatchError } from "@holdline/domain/errors";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { describe, expect, it } from "vitest";
import { BackgroundWork } from "../../src/background-work.ts";
import { killCurrentEnvironment } from "../../src/execution-environment.ts";
import { type InvocationRecord, SqsFailureDestination } from "../../src/failure-destination.ts";
import { type EventHandler, LambdaEventDispatcher } from "../../src/lambda-event-dispatcher.ts";

const KEY = { contactId: "5b2e0c1a-0000-4000-8000-000000000001", turn: 2 };
const WORKER_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-local-answer-worker";

function dispatcherWith(handler: EventHandler, { retries = 0, timeoutMs = 65_000 } = {}) {
  const clock = new ManualClock();
  const work = new BackgroundWork(clock);
  const failures: InvocationRecord[] = [];
  const lines: string[] = [];
  const dispatcher = new LambdaEventDispatcher({
    clock,
    work,
    functionArn: WORKER_ARN,
    handler,
    timeoutMs,
    dispatchLatencyMs: 100,
    maximumRetryAttempts: retries,
    onFailure: (record) => failures.push(record),
    note: (_key, source, text) => lines.push(`[${source}] ${text}`),
  });
  return { clock, work, dispatcher, failures, lines };
}

describe("LambdaEventDispatcher (the worker's Event invocation)", () => {
  it("returns once the event is queued and runs the worker after the dispatch latency", async () => {
    // Prepare
    const started: number[] = [];
    const { clock, work, dispatcher } = dispatcherWith(async (event) => {
      started.push(clock.now());
      return { outcome: "completed", event };
    });
    const before = clock.now();

    // Act
    await dispatcher.dispatch(KEY);
    const ranBeforeReturn = started.length;
    await clock.run(work.idle());

    // Assess
    expect(ranBeforeReturn).toBe(0);
    expect(started).toEqual([before + 100]);
    expect(dispatcher.invocations).toMatchObject([{ key: KEY, attempt: 1, result: "returned" }]);
  });

  it("sends the worker only the key, as the real dispatcher does", async () => {
    const events: unknown[] = [];
    const { clock, work, dispatcher } = dispatcherWith(async (event) => events.push(event));

    await dispatcher.dispatch(KEY);
    await clock.run(work.idle());

    expect(events).toEqual([{ contactId: KEY.contactId, turn: KEY.turn }]);
  });

  it("sends a function error straight to the on-failure destination when retries are 0, in a record failure-recorder reads", async () => {
    // Prepare
    const { clock, work, dispatcher, failures } = dispatcherWith(async () => {
      throw new Error("store_unavailable");
    });

    // Act
    await dispatcher.dispatch(KEY);
    await clock.run(work.idle());

    // Assess
    expect(failures).toHaveLength(1);
    expect(failures[0]?.requestContext).toMatchObject({
      condition: "RetriesExhausted",
      approximateInvokeCount: 1,
      functionArn: `${WORKER_ARN}:$LATEST`,
    });
    const parsed = parseInvocationRecord(JSON.stringify(failures[0]));
    expect(parsed.key).toEqual(KEY);
    expect(parsed.error).toMatchObject({ code: "worker_failed", retryable: false });
    expect(parsed.error.message).toMatch(/RetriesExhausted, 1 attempts\): Error store_unavailable/);
  });

  it("retries a function error as configured, a minute and then two apart, before giving up", async () => {
    // Prepare
    const attempts: number[] = [];
    const { clock, work, dispatcher, failures } = dispatcherWith(
      async () => {
        attempts.push(clock.now());
        throw new Error("boom");
      },
      { retries: 2 },
    );

    // Act
    await dispatcher.dispatch(KEY);
    await clock.run(work.idle());

    // Assess
    expect(attempts.map((at) => at - (attempts[0] ?? 0))).toEqual([0, 60_000, 180_000]);
    expect(failures[0]?.requestContext.approximateInvokeCount).toBe(3);
  });

  it("fails a worker that dies mid-run with Runtime.ExitError and ignores whatever it does afterwards", async () => {
    // Prepare
    let wroteAfterDeath = false;
    const { clock, work, dispatcher, failures } = dispatcherWith(async () => {
      await clock.sleep(1_000);
      killCurrentEnvironment("killed");
      await clock.sleep(1_000);
      wroteAfterDeath = true;
      return { outcome: "completed" };
    });

    // Act
    await dispatcher.dispatch(KEY);
    await clock.run(work.idle());

    // Assess
    expect(dispatcher.invocations.map((invocation) => invocation.result)).toEqual(["crashed"]);
    expect(failures[0]?.responsePayload).toEqual({ errorType: "Runtime.ExitError", errorMessage: "killed" });
    await clock.advance(5_000);
    expect(wroteAfterDeath).toBe(true); // the promise cannot be stopped…
    expect(dispatcher.invocations).toHaveLength(1); // …but its result is not recorded
  });

  it("stops a worker at its timeout like Lambda (Sandbox.Timedout)", async () => {
    const { clock, work, dispatcher, failures } = dispatcherWith(() => new Promise<never>(() => undefined), {
      timeoutMs: 65_000,
    });

    await dispatcher.dispatch(KEY);
    await clock.run(work.idle());

    expect(dispatcher.invocations[0]).toMatchObject({ result: "timed_out" });
    expect((dispatcher.invocations[0]?.endAt ?? 0) - (dispatcher.invocations[0]?.at ?? 0)).toBe(65_000);
    expect(failures[0]?.responsePayload.errorType).toBe("Sandbox.Timedout");
  });

  it("loses an accepted event on demand: the worker never runs", async () => {
    let runs = 0;
    const { clock, work, dispatcher, lines } = dispatcherWith(async () => {
      runs += 1;
    });
    dispatcher.loseNextDispatch();

    await dispatcher.dispatch(KEY);
    await clock.run(work.idle());

    expect(runs).toBe(0);
    expect(dispatcher.invocations.map((invocation) => invocation.result)).toEqual(["lost"]);
    expect(lines).toContain("[lambda] the Event invocation of answer-worker was lost (simulated fault)");
  });

  it("fails the Invoke itself on demand with dispatch_failed", async () => {
    const { dispatcher } = dispatcherWith(async () => undefined);
    dispatcher.failNextDispatch();

    await expect(dispatcher.dispatch(KEY)).rejects.toBeInstanceOf(DispatchError);
    await expect(dispatcher.dispatch(KEY)).resolves.toBeUndefined();
  });
});

describe("SqsFailureDestination (the worker's on-failure destination)", () => {
  const record = {
    version: "1.0",
    timestamp: "2026-11-23T09:00:00.000Z",
    requestContext: {
      requestId: "r1",
      functionArn: `${WORKER_ARN}:$LATEST`,
      condition: "RetriesExhausted",
      approximateInvokeCount: 1,
    },
    requestPayload: { contactId: KEY.contactId, turn: KEY.turn },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    responsePayload: { errorType: "Runtime.ExitError", errorMessage: "killed" },
  } satisfies InvocationRecord;

  function destinationWith(fail: (receive: number) => boolean) {
    const clock = new ManualClock();
    const work = new BackgroundWork(clock);
    const received: { at: number; receiveCount: string; body: string }[] = [];
    const destination = new SqsFailureDestination({
      clock,
      work,
      queueArn: "arn:aws:sqs:ap-northeast-1:123456789012:holdline-local-worker-failures",
      deliveryLatencyMs: 300,
      visibilityTimeoutMs: 30_000,
      maxReceiveCount: 3,
      consumer: async ({ Records }) => {
        const [message] = Records;
        if (message === undefined) return { batchItemFailures: [] };
        received.push({
          at: clock.now(),
          receiveCount: message.attributes.ApproximateReceiveCount,
          body: message.body,
        });
        return fail(received.length)
          ? { batchItemFailures: [{ itemIdentifier: message.messageId }] }
          : undefined;
      },
      note: () => undefined,
    });
    return { clock, work, destination, received };
  }

  it("delivers the invocation record as an SQS message body to the consumer", async () => {
    const { clock, work, destination, received } = destinationWith(() => false);
    const sentAt = clock.now();

    destination.send(record);
    await clock.run(work.idle());

    expect(received).toHaveLength(1);
    expect(received[0]?.at).toBe(sentAt + 300);
    expect(JSON.parse(received[0]?.body ?? "{}")).toEqual(record);
    expect(destination.deadLetters).toEqual([]);
  });

  it("redelivers a message the consumer reported failed, then moves it to the dead-letter queue", async () => {
    const { clock, work, destination, received } = destinationWith(() => true);
    const sentAt = clock.now();

    destination.send(record);
    await clock.run(work.idle());

    expect(received.map((message) => [message.at - sentAt, message.receiveCount])).toEqual([
      [300, "1"],
      [30_300, "2"],
      [60_300, "3"],
    ]);
    expect(destination.deadLetters).toHaveLength(1);
  });
});
