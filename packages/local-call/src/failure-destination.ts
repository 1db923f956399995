import type { Clock } from "@holdline/domain/ports/clock.port";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { BackgroundWork } from "./background-work.ts";

/**
 * The record Lambda sends to an asynchronous invocation's on-failure destination (AWS Lambda Developer
 * Guide, "Capturing records of Lambda asynchronous invocations"). failure-recorder parses this shape.
 */
export interface InvocationRecord {
  readonly version: "1.0";
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: "RetriesExhausted" | "EventAgeExceeded";
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError: "Unhandled";
  };
  readonly responsePayload: { readonly errorType: string; readonly errorMessage: string };
}

export function invocationRecord(input: {
  readonly at: number;
  readonly requestId: string;
  readonly functionArn: string;
  readonly attempts: number;
  readonly payload: unknown;
  readonly error: unknown;
}): InvocationRecord {
  const error =
    input.error instanceof Error
      ? { errorType: input.error.name, errorMessage: input.error.message }
      : { errorType: "Error", errorMessage: String(input.error) };
  return {
    version: "1.0",
    timestamp: new Date(input.at).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: "RetriesExhausted",
      approximateInvokeCount: input.attempts,
    },
    requestPayload: input.payload,
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    responsePayload: error,
  };
}

export type SqsConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface SqsFailureDestinationOptions {
  readonly clock: Clock;
  readonly work: BackgroundWork;
  readonly queueArn: string;
  /** The queue's consumer: failure-recorder's handler. */
  readonly consumer: SqsConsumer;
  /** Lambda → SQS → the event source mapping's poll → the consumer. Default 300 ms. */
  readonly deliveryLatencyMs?: number;
  /** A message the consumer reported failed comes back after this long. Default 30 s. */
  readonly visibilityTimeoutMs?: number;
  /** Receives before a message moves to the dead-letter queue. Default 3. */
  readonly maxReceiveCount?: number;
  readonly note: (payload: unknown, text: string) => void;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
}

/**
 * The worker's on-failure destination: an SQS queue whose consumer is failure-recorder. A message its
 * consumer reports as a batch item failure (or a consumer that throws) is received again after the
 * visibility timeout, and after `maxReceiveCount` receives it moves to the dead-letter queue.
 */
export class SqsFailureDestination {
  readonly sent: InvocationRecord[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private messages = 0;

  constructor(private readonly options: SqsFailureDestinationOptions) {}

  send(record: InvocationRecord): void {
    this.sent.push(record);
    this.messages += 1;
    const messageId = `00000000-0000-4000-8000-${this.messages.toString(16).padStart(12, "0")}`;
    const body = JSON.stringify(record);
    this.options.work.track(this.deliver(messageId, body, record.requestPayload));
  }

  private async deliver(messageId: string, body: string, payload: unknown): Promise<void> {
    const { work, consumer, note } = this.options;
    const maxReceiveCount = this.options.maxReceiveCount ?? 3;
    const sentAt = this.options.clock.now();
    await work.sleep(this.options.deliveryLatencyMs ?? 300);
    for (let receive = 1; receive <= maxReceiveCount; receive += 1) {
      let failed: boolean;
      try {
        const response = await consumer({ Records: [this.sqsRecord(messageId, body, receive, sentAt)] });
        failed = (response?.batchItemFailures ?? []).some((failure) => failure.itemIdentifier === messageId);
      } catch {
        failed = true;
      }
      if (!failed) {
        note(
          payload,
          `recorded the worker's failure (SQS message ${messageId.slice(-4)}, receive ${receive})`,
        );
        return;
      }
      note(payload, `could not record the failure (SQS message ${messageId.slice(-4)}, receive ${receive})`);
      if (receive < maxReceiveCount) await work.sleep(this.options.visibilityTimeoutMs ?? 30_000);
    }
    this.deadLetters.push({ messageId, body });
    note(payload, `SQS message ${messageId.slice(-4)} moved to the dead-letter queue`);
  }

  private sqsRecord(messageId: string, body: string, receive: number, sentAt: number): SQSRecord {
    const region = this.options.queueArn.split(":")[3] ?? "ap-northeast-1";
    return {
      messageId,
      receiptHandle: `${messageId}#${receive}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receive),
        SentTimestamp: String(sentAt),
        SenderId: "AROAEXAMPLE:lambda-destination",
        ApproximateFirstReceiveTimestamp: String(sentAt),
      },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: this.options.queueArn,
      awsRegion: region,
    };
  }
}
