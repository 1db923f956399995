import { randomUUID } from "node:crypto";
import type { Callback, Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { type StreamClock, systemStreamClock } from "./clock.ts";
import { compileFilterCriteria, type FilterCriteria } from "./filter-pattern.ts";
import type { DynamoDbStream, StreamEntry } from "./stream.ts";

/**
 * The function the mapping invokes (synchronously, as Lambda does for stream sources): an async handler typed
 * as `aws-lambda`'s `DynamoDBStreamHandler`, or any `(event, context)` function. It returns nothing, or a
 * `DynamoDBBatchResponse` (read only with `ReportBatchItemFailures`); callback-style handlers are not supported.
 */
export type DynamoDbStreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
  callback: Callback<unknown>,
) => unknown;

/** Why Lambda gave up on a batch. */
export type OnFailureCondition = "RetryAttemptsExhausted" | "RecordAgeExceeded";

/** What Lambda sends to a stream mapping's on-failure destination: metadata only, not the records. */
export interface DynamoDbStreamOnFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: OnFailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    /** `Unhandled` after a thrown error or a timeout; absent after a partial batch failure or no invocation. */
    readonly functionError?: "Unhandled";
  };
  readonly version: "1.0";
  /** ISO 8601, when the batch was discarded. */
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    /** ISO 8601 to the second, e.g. `2019-11-14T00:13:19Z`. */
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

export type OnFailureDestination = (record: DynamoDbStreamOnFailureRecord) => void | Promise<void>;

/**
 * The event source mapping's settings, named as in CreateEventSourceMapping, plus the harness's own (camelCase).
 * Defaults are Lambda's.
 */
export interface DynamoDbStreamMappingOptions {
  readonly stream: DynamoDbStream;
  readonly handler: DynamoDbStreamHandler;
  /** Polling, batching window, retries, timeouts and record age all run on it. Default the wall clock. */
  readonly clock?: StreamClock;
  /** Default `arn:aws:lambda:<region>:<account>:function:stream-consumer`. */
  readonly functionArn?: string;
  /** The function's timeout: past it the invocation is a function error. Default 3 s (Lambda's). */
  readonly timeoutMs?: number;
  /** 1 to 10,000; default 100. */
  readonly BatchSize?: number;
  /** 0 to 300; default 0. */
  readonly MaximumBatchingWindowInSeconds?: number;
  readonly FilterCriteria?: FilterCriteria;
  readonly FunctionResponseTypes?: readonly "ReportBatchItemFailures"[];
  /** Default false. */
  readonly BisectBatchOnFunctionError?: boolean;
  /** -1 (default: until the record expires) or 0 to 10,000. */
  readonly MaximumRetryAttempts?: number;
  /** -1 (default: no limit; the 24 h retention is not modelled) or 60 to 604,800. */
  readonly MaximumRecordAgeInSeconds?: number;
  /** Default TRIM_HORIZON (every record already in the stream); LATEST starts after them. */
  readonly StartingPosition?: "TRIM_HORIZON" | "LATEST";
  readonly DestinationConfig?: { readonly OnFailure?: { readonly Destination: OnFailureDestination } };
  /**
   * How long after a record arrives in an idle shard the poller sees it (Lambda polls 4 times a second).
   * Default 250 ms.
   */
  readonly pollIntervalMs?: number;
  /** The wait before retry `n` (1, 2, …) of a failed batch. Default 1 s, doubling, at most 30 s. */
  readonly retryDelayMs?: (retry: number) => number;
}

export type StreamInvocationOutcome = "succeeded" | "partial_failure" | "function_error";

/** One invocation of the function, as the mapping saw it. */
export interface StreamInvocation {
  readonly requestId: string;
  /** Epoch ms on the clock. */
  readonly at: number;
  readonly sequenceNumbers: readonly string[];
  readonly outcome: StreamInvocationOutcome;
  /** function_error: `Name: message`, or `Task timed out after …`. */
  readonly error?: string;
  /** partial_failure: the lowest failed sequence number, retried from. */
  readonly retryFrom?: string;
  /** Delivered again by `duplicateNextBatches`, after it had succeeded. */
  readonly duplicate: boolean;
}

interface PendingBatch {
  entries: StreamEntry[];
  invokes: number;
  retries: number;
  duplicate: boolean;
  lastRequestId: string | undefined;
  lastFunctionError: boolean;
}

type InvokeResult =
  | { readonly kind: "succeeded" }
  | { readonly kind: "partial_failure"; readonly from: number }
  | { readonly kind: "function_error" };

class MappingStopped extends Error {}

const noCallback = (): never => {
  throw new Error("DynamoDbStreamMapping: callback-style handlers are not supported; return a promise");
};

const DEFAULT_RETRY_DELAY = (retry: number): number => Math.min(1_000 * 2 ** (retry - 1), 30_000);

const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1_000) * 1_000).toISOString().replace(".000Z", "Z");

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

function checkRange(name: string, value: number, min: number, max: number, alsoAllowed?: number): void {
  if (value === alsoAllowed) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    const extra = alsoAllowed === undefined ? "" : ` (or ${alsoAllowed})`;
    throw new Error(
      `DynamoDbStreamMapping: ${name} must be an integer from ${min} to ${max}${extra}, got ${value}`,
    );
  }
}

/**
 * Lambda's event source mapping for a DynamoDB stream, locally: one shard read in order, batches of
 * `BatchSize` records gathered for up to `MaximumBatchingWindowInSeconds`, records not matching
 * `FilterCriteria` dropped as processed, the function invoked synchronously with a `DynamoDBStreamEvent`.
 * A failed batch blocks the shard until it succeeds or is discarded: a thrown error (or a timeout) retries the
 * batch, bisected first when `BisectBatchOnFunctionError` (splits consume no retry); a `batchItemFailures`
 * answer (with `ReportBatchItemFailures`) retries from the lowest failed record only; after
 * `MaximumRetryAttempts` retries, or once records are older than `MaximumRecordAgeInSeconds`, the batch's
 * metadata goes to `DestinationConfig.OnFailure` and the shard moves on. Every wait runs on the given clock.
 */
export class DynamoDbStreamMapping {
  readonly functionArn: string;
  readonly invocations: StreamInvocation[] = [];
  /** Everything sent to the on-failure destination, in order. */
  readonly onFailureRecords: DynamoDbStreamOnFailureRecord[] = [];
  /** Sequence numbers of records dropped by `FilterCriteria`. */
  readonly filteredOut: string[] = [];
  private readonly stream: DynamoDbStream;
  private readonly clock: StreamClock;
  private readonly matches: (record: unknown) => boolean;
  private readonly batchSize: number;
  private readonly windowMs: number;
  private readonly maxRetries: number;
  private readonly maxAgeMs: number;
  private readonly reportItemFailures: boolean;
  private readonly stop = new AbortController();
  private readonly unsubscribe: () => void;
  private position: number;
  private running: Promise<void> | undefined;
  private duplicatesPending = 0;
  /** Wakes the batching window early once a full batch is there. */
  private batchFull: (() => void) | undefined;

  constructor(private readonly options: DynamoDbStreamMappingOptions) {
    this.stream = options.stream;
    this.clock = options.clock ?? systemStreamClock;
    this.functionArn =
      options.functionArn ??
      `arn:aws:lambda:${this.stream.region}:${this.stream.accountId}:function:stream-consumer`;
    this.batchSize = options.BatchSize ?? 100;
    checkRange("BatchSize", this.batchSize, 1, 10_000);
    const window = options.MaximumBatchingWindowInSeconds ?? 0;
    checkRange("MaximumBatchingWindowInSeconds", window, 0, 300);
    this.windowMs = window * 1_000;
    this.maxRetries = options.MaximumRetryAttempts ?? -1;
    checkRange("MaximumRetryAttempts", this.maxRetries, 0, 10_000, -1);
    const maxAge = options.MaximumRecordAgeInSeconds ?? -1;
    checkRange("MaximumRecordAgeInSeconds", maxAge, 60, 604_800, -1);
    this.maxAgeMs = maxAge === -1 ? -1 : maxAge * 1_000;
    this.reportItemFailures = options.FunctionResponseTypes?.includes("ReportBatchItemFailures") ?? false;
    this.matches = compileFilterCriteria(options.FilterCriteria);
    this.position = options.StartingPosition === "LATEST" ? this.stream.entries.length : 0;
    this.unsubscribe = this.stream.onAppend(() => {
      if (this.batchFull !== undefined && this.matchingAvailable() >= this.batchSize) this.batchFull();
      this.wake();
    });
    this.wake();
  }

  /**
   * Test hook for at-least-once delivery: each of the next `count` batches that succeeds is delivered again,
   * whole (same records, same sequence numbers and event IDs), right after, as when a checkpoint is lost.
   */
  duplicateNextBatches(count = 1): void {
    this.duplicatesPending += count;
  }

  /**
   * Resolves once every record in the stream so far has been processed, filtered out or discarded and no
   * batch is in flight. On virtual time, drive it: `await clock.run(mapping.settled())`.
   */
  async settled(): Promise<void> {
    while (
      !this.stop.signal.aborted &&
      (this.running !== undefined || this.position < this.stream.entries.length)
    ) {
      this.wake();
      await this.running;
    }
  }

  /** Stops polling; a batch in flight is abandoned (its handler's promise is ignored). */
  async close(): Promise<void> {
    this.unsubscribe();
    this.stop.abort(new MappingStopped("the DynamoDB stream mapping was closed"));
    await this.running;
  }

  private wake(): void {
    if (this.running !== undefined || this.stop.signal.aborted) return;
    if (this.position >= this.stream.entries.length) return;
    this.running = this.drainShard()
      .catch((error: unknown) => {
        if (!(error instanceof MappingStopped) && !this.stop.signal.aborted) throw error;
      })
      .finally(() => {
        this.running = undefined;
        this.wake();
      });
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(
      Math.max(0, ms),
      signal === undefined ? this.stop.signal : AbortSignal.any([this.stop.signal, signal]),
    );
  }

  /** Reads the shard until it is caught up. */
  private async drainShard(): Promise<void> {
    await this.sleep(this.options.pollIntervalMs ?? 250);
    while (this.position < this.stream.entries.length) {
      if (this.windowMs > 0) await this.batchingWindow();
      const batch = this.takeBatch();
      if (batch.length > 0) await this.processBatch(batch);
    }
  }

  private async batchingWindow(): Promise<void> {
    if (this.matchingAvailable() >= this.batchSize) return;
    const full = new AbortController();
    this.batchFull = () => full.abort();
    try {
      await this.sleep(this.windowMs, full.signal);
    } catch (error) {
      if (!full.signal.aborted || this.stop.signal.aborted) throw error;
    } finally {
      this.batchFull = undefined;
    }
  }

  private matchingAvailable(): number {
    let count = 0;
    for (
      let index = this.position;
      index < this.stream.entries.length && count < this.batchSize;
      index += 1
    ) {
      if (this.matches(this.stream.entries[index]?.record)) count += 1;
    }
    return count;
  }

  /** Up to BatchSize matching records from the checkpoint; the ones not matching are done. */
  private takeBatch(): StreamEntry[] {
    const batch: StreamEntry[] = [];
    while (this.position < this.stream.entries.length && batch.length < this.batchSize) {
      const entry = this.stream.entries[this.position] as StreamEntry;
      this.position += 1;
      if (this.matches(entry.record)) batch.push(entry);
      else this.filteredOut.push(entry.sequenceNumber);
    }
    return batch;
  }

  private async processBatch(entries: StreamEntry[]): Promise<void> {
    const queue: PendingBatch[] = [pending(entries, false)];
    while (queue.length > 0) {
      const batch = queue[0] as PendingBatch;
      if (this.maxAgeMs >= 0) {
        const now = this.clock.now();
        const expired = batch.entries.filter((entry) => now - entry.arrivedAt > this.maxAgeMs);
        if (expired.length > 0) {
          await this.discard(batch, expired, "RecordAgeExceeded");
          batch.entries = batch.entries.filter((entry) => !expired.includes(entry));
          if (batch.entries.length === 0) {
            queue.shift();
            continue;
          }
        }
      }
      const result = await this.invoke(batch);
      if (result.kind === "succeeded") {
        queue.shift();
        if (this.duplicatesPending > 0 && !batch.duplicate) {
          this.duplicatesPending -= 1;
          queue.unshift(pending(batch.entries, true));
        }
        continue;
      }
      if (result.kind === "partial_failure") {
        batch.entries = batch.entries.slice(result.from);
      } else if (this.options.BisectBatchOnFunctionError === true && batch.entries.length > 1) {
        const half = Math.ceil(batch.entries.length / 2);
        queue.splice(
          0,
          1,
          pending(batch.entries.slice(0, half), batch.duplicate),
          pending(batch.entries.slice(half), batch.duplicate),
        );
        continue;
      }
      if (this.maxRetries >= 0 && batch.retries >= this.maxRetries) {
        await this.discard(batch, batch.entries, "RetryAttemptsExhausted");
        queue.shift();
        continue;
      }
      batch.retries += 1;
      await this.sleep((this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY)(batch.retries));
    }
  }

  private async invoke(batch: PendingBatch): Promise<InvokeResult> {
    const requestId = randomUUID();
    const at = this.clock.now();
    const timeoutMs = this.options.timeoutMs ?? 3_000;
    batch.invokes += 1;
    batch.lastRequestId = requestId;
    const sequenceNumbers = batch.entries.map((entry) => entry.sequenceNumber);
    const log = (outcome: StreamInvocationOutcome, extra: { error?: string; retryFrom?: string } = {}) =>
      this.invocations.push({
        requestId,
        at,
        sequenceNumbers,
        outcome,
        duplicate: batch.duplicate,
        ...extra,
      });

    const event: DynamoDBStreamEvent = {
      Records: batch.entries.map((entry) => structuredClone(entry.record)),
    };
    const context = lambdaContext(this.functionArn, requestId, at, timeoutMs, this.clock);
    const timeout = new AbortController();
    let response: unknown;
    try {
      response = await Promise.race([
        Promise.resolve().then(() => this.options.handler(event, context, noCallback)),
        this.sleep(timeoutMs, timeout.signal).then(() => {
          throw new Error(`Task timed out after ${(timeoutMs / 1_000).toFixed(2)} seconds`);
        }),
      ]);
    } catch (error) {
      if (this.stop.signal.aborted) throw new MappingStopped("closed during an invocation");
      batch.lastFunctionError = true;
      log("function_error", { error: describe(error) });
      return { kind: "function_error" };
    } finally {
      timeout.abort();
    }
    batch.lastFunctionError = false;
    if (!this.reportItemFailures) {
      log("succeeded");
      return { kind: "succeeded" };
    }
    const failures = (response as Partial<DynamoDBBatchResponse> | undefined | null)?.batchItemFailures;
    if (failures === undefined || failures === null || (Array.isArray(failures) && failures.length === 0)) {
      log("succeeded");
      return { kind: "succeeded" };
    }
    const indexes = !Array.isArray(failures)
      ? [-1]
      : failures.map((failure) => sequenceNumbers.indexOf(failure?.itemIdentifier ?? ""));
    if (indexes.some((index) => index < 0)) {
      // Lambda treats an empty, null or unknown itemIdentifier as a failure of the whole batch.
      log("partial_failure", { retryFrom: sequenceNumbers[0] as string });
      return { kind: "partial_failure", from: 0 };
    }
    const from = Math.min(...indexes);
    log("partial_failure", { retryFrom: sequenceNumbers[from] as string });
    return { kind: "partial_failure", from };
  }

  private async discard(
    batch: PendingBatch,
    entries: StreamEntry[],
    condition: OnFailureCondition,
  ): Promise<void> {
    const first = entries[0] as StreamEntry;
    const last = entries[entries.length - 1] as StreamEntry;
    const record: DynamoDbStreamOnFailureRecord = {
      requestContext: {
        requestId: batch.lastRequestId ?? randomUUID(),
        functionArn: this.functionArn,
        condition,
        approximateInvokeCount: batch.invokes,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: "$LATEST",
        ...(batch.lastFunctionError ? { functionError: "Unhandled" as const } : {}),
      },
      version: "1.0",
      timestamp: new Date(this.clock.now()).toISOString(),
      DDBStreamBatchInfo: {
        shardId: this.stream.shardId,
        startSequenceNumber: first.sequenceNumber,
        endSequenceNumber: last.sequenceNumber,
        approximateArrivalOfFirstRecord: isoSeconds(first.arrivedAt),
        approximateArrivalOfLastRecord: isoSeconds(last.arrivedAt),
        batchSize: entries.length,
        streamArn: this.stream.streamArn,
      },
    };
    this.onFailureRecords.push(record);
    await this.options.DestinationConfig?.OnFailure?.Destination(record);
  }
}

function pending(entries: StreamEntry[], duplicate: boolean): PendingBatch {
  return { entries, invokes: 0, retries: 0, duplicate, lastRequestId: undefined, lastFunctionError: false };
}

const deprecated = (name: string) => () => {
  throw new Error(`context.${name} is not supported: return a value or throw`);
};

/** The `Context` Lambda hands the handler, its remaining time counting down on the mapping's clock. */
function lambdaContext(
  functionArn: string,
  requestId: string,
  startedAt: number,
  timeoutMs: number,
  clock: StreamClock,
): Context {
  const functionName = functionArn.split(":")[6] ?? "stream-consumer";
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: functionArn,
    memoryLimitInMB: "128",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date(startedAt).toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]local`,
    getRemainingTimeInMillis: () => Math.max(0, startedAt + timeoutMs - clock.now()),
    done: deprecated("done"),
    fail: deprecated("fail"),
    succeed: deprecated("succeed"),
  };
}
