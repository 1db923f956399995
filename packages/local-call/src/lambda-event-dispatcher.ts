import {
  toAbandonPayload,
  toWorkerPayload,
  type WorkerPayload,
} from "@holdline/adapters-lambda/worker-payload";
import { lambdaContext } from "@holdline/connect-emulator/lambda-context";
import { DispatchError } from "@holdline/domain/errors";
import { type ExecutionKey, formatKey } from "@holdline/domain/execution/execution";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { AbandonedStart, WorkDispatcher } from "@holdline/domain/ports/work-dispatcher.port";
import type { Context } from "aws-lambda";
import type { BackgroundWork } from "./background-work.ts";
import { RuntimeExitError, runInEnvironment, TaskTimedOutError } from "./execution-environment.ts";
import { type InvocationRecord, invocationRecord } from "./failure-destination.ts";

export type EventHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LambdaEventDispatcherOptions {
  readonly clock: Clock;
  readonly work: BackgroundWork;
  /** The worker function: its ARN, handler and timeout. */
  readonly functionArn: string;
  readonly handler: EventHandler;
  readonly timeoutMs: number;
  /** From `Invoke` accepting the event (202) to the handler starting. Default 100 ms. */
  readonly dispatchLatencyMs?: number;
  /** Lambda's retries of a function error (the budget's `worker.maximumRetryAttempts`, 0 in Holdline). */
  readonly maximumRetryAttempts: number;
  /** Lambda waits about a minute before the first retry and two before the second. */
  readonly retryDelaysMs?: readonly number[];
  /** The on-failure destination. */
  readonly onFailure: (record: InvocationRecord) => void;
  /** A timeline line: `answer-worker` for what the function does, `lambda` for what the service does. */
  readonly note: (key: ExecutionKey, source: "answer-worker" | "lambda", text: string) => void;
}

export type EventInvocationResult = "returned" | "threw" | "crashed" | "timed_out" | "lost";

export interface EventInvocation {
  readonly key: ExecutionKey;
  readonly requestId: string;
  readonly attempt: number;
  /** Epoch ms on the clock. */
  readonly at: number;
  readonly endAt: number;
  readonly result: EventInvocationResult;
  readonly detail: string;
}

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)}s`;
const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * The `WorkDispatcher` as Lambda's asynchronous (`Event`) invocation of the worker: `dispatch` returns as
 * soon as the event is queued, and the worker runs in the background after the dispatch latency, in its own
 * simulated execution environment. A function error (the handler throws, its process dies, it runs past
 * its timeout) is retried `maximumRetryAttempts` times, then its invocation record goes to the on-failure
 * destination. Faults on demand: an `Invoke` that fails, an event that is accepted and never runs.
 */
export class LambdaEventDispatcher implements WorkDispatcher {
  readonly dispatched: ExecutionKey[] = [];
  /** The abandoned starts handed to the worker, in order. */
  readonly abandoned: AbandonedStart[] = [];
  readonly invocations: EventInvocation[] = [];
  private failures = 0;
  private losses = 0;
  private requests = 0;

  constructor(private readonly options: LambdaEventDispatcherOptions) {}

  /** The next `count` `Invoke` calls fail (`dispatch_failed`): the execution stays queued. */
  failNextDispatch(count = 1): void {
    this.failures += count;
  }

  /** The next `count` events are accepted (202) but never run, as if lost inside Lambda. */
  loseNextDispatch(count = 1): void {
    this.losses += count;
  }

  async dispatch(key: ExecutionKey): Promise<void> {
    await this.invoke(toWorkerPayload(key));
    this.dispatched.push({ contactId: key.contactId, turn: key.turn });
  }

  async abandon(start: AbandonedStart): Promise<void> {
    await this.invoke(toAbandonPayload(start));
    this.abandoned.push(start);
  }

  private async invoke(payload: WorkerPayload): Promise<void> {
    await Promise.resolve();
    const key = { contactId: payload.contactId, turn: payload.turn };
    if (this.failures > 0) {
      this.failures -= 1;
      this.options.note(key, "lambda", "Invoke (Event) of answer-worker failed (simulated fault)");
      throw new DispatchError(`simulated Invoke failure for ${formatKey(key)}`);
    }
    this.requests += 1;
    const requestId = `e7e57000-0000-4000-8000-${this.requests.toString(16).padStart(12, "0")}`;
    const lost = this.losses > 0;
    if (lost) this.losses -= 1;
    this.options.work.track(this.deliver(payload, requestId, lost));
  }

  private async deliver(payload: WorkerPayload, requestId: string, lost: boolean): Promise<void> {
    const { clock, work, note } = this.options;
    const key = { contactId: payload.contactId, turn: payload.turn };
    await work.sleep(this.options.dispatchLatencyMs ?? 100);
    if (lost) {
      const at = clock.now();
      this.invocations.push({ key, requestId, attempt: 0, at, endAt: at, result: "lost", detail: "lost" });
      note(key, "lambda", "the Event invocation of answer-worker was lost (simulated fault)");
      return;
    }
    const retries = this.options.retryDelaysMs ?? [60_000, 120_000];
    let lastError: unknown;
    const attempts = 1 + this.options.maximumRetryAttempts;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await work.sleep(retries[attempt - 2] ?? retries.at(-1) ?? 60_000);
      const outcome = await this.runAttempt(payload, requestId, attempt);
      if (outcome === undefined) return;
      lastError = outcome;
    }
    note(key, "lambda", "no retry left: the invocation record goes to the on-failure destination (SQS)");
    this.options.onFailure(
      invocationRecord({
        at: clock.now(),
        requestId,
        functionArn: this.options.functionArn,
        attempts,
        payload,
        error: lastError,
      }),
    );
  }

  /** One attempt; resolves with the error when it failed, undefined when it returned. */
  private async runAttempt(payload: WorkerPayload, requestId: string, attempt: number): Promise<unknown> {
    const { clock, work, note, timeoutMs, functionArn } = this.options;
    const key = { contactId: payload.contactId, turn: payload.turn };
    const at = clock.now();
    note(key, "answer-worker", `starts (Event invocation, attempt ${attempt})`);
    const run = runInEnvironment(() =>
      this.options.handler(
        structuredClone(payload),
        lambdaContext({
          functionArn,
          requestId,
          startedAt: at,
          timeoutMs,
          now: () => clock.now(),
          logStreamName: "local",
        }),
      ),
    );
    const timer = new AbortController();
    work.sleep(timeoutMs, timer.signal).then(
      () => run.kill(new TaskTimedOutError(timeoutMs)),
      () => undefined,
    );
    const record = (result: EventInvocationResult, detail: string) => {
      const endAt = clock.now();
      this.invocations.push({ key, requestId, attempt, at, endAt, result, detail });
      note(key, "answer-worker", `${detail} after ${seconds(endAt - at)}`);
    };
    try {
      const value = await run.result;
      record("returned", `returned ${JSON.stringify(value)}`);
      return undefined;
    } catch (error) {
      const result =
        error instanceof TaskTimedOutError
          ? "timed_out"
          : error instanceof RuntimeExitError
            ? "crashed"
            : "threw";
      record(
        result,
        `${result === "threw" ? "THREW" : result === "crashed" ? "CRASHED" : "TIMED OUT"} (${describe(error)})`,
      );
      return error;
    } finally {
      timer.abort();
    }
  }
}
