import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from "@aws-sdk/client-lambda";
import { DispatchError } from "@holdline/domain/errors";
import { type ExecutionKey, formatKey } from "@holdline/domain/execution/execution";
import type { AbandonedStart, WorkDispatcher } from "@holdline/domain/ports/work-dispatcher.port";
import { toAbandonPayload, toWorkerPayload, type WorkerPayload } from "./worker-payload.ts";

export interface LambdaWorkDispatcherOptions {
  /** Name, ARN or qualified ARN (alias, version) of the answer worker. */
  readonly functionName: string;
  /**
   * Hard cap on one dispatch, SDK retries and backoff included (a throttled retry may otherwise wait out
   * a Retry-After hint). The apps take it from the budget: every attempt of the client timing out.
   */
  readonly deadlineMs: number;
}

const ACCEPTED = 202;
const encoder = new TextEncoder();

/**
 * Dispatches an execution as an asynchronous (`Event`) invocation of the worker: Lambda queues it and
 * answers 202 at once. Any other outcome throws `DispatchError` (`dispatch_failed`), which leaves the
 * execution queued for the start or status path to dispatch again. An invocation cut off by a timeout may
 * still have been queued; the worker's conditional claim makes that duplicate harmless.
 */
export class LambdaWorkDispatcher implements WorkDispatcher {
  private readonly functionName: string;
  private readonly deadlineMs: number;

  constructor(
    private readonly client: LambdaClient,
    options: LambdaWorkDispatcherOptions,
  ) {
    if (options.functionName.trim() === "") throw new RangeError("functionName must not be empty");
    const { deadlineMs } = options;
    if (!Number.isInteger(deadlineMs) || deadlineMs < 1)
      throw new RangeError("deadlineMs must be a positive integer");
    this.functionName = options.functionName;
    this.deadlineMs = deadlineMs;
  }

  async dispatch(key: ExecutionKey): Promise<void> {
    await this.send(toWorkerPayload(key), `dispatch of ${formatKey(key)} to ${this.functionName}`);
  }

  async abandon(start: AbandonedStart): Promise<void> {
    await this.send(toAbandonPayload(start), `abandon of ${formatKey(start.key)} to ${this.functionName}`);
  }

  private async send(payload: WorkerPayload, what: string): Promise<void> {
    const output = await this.invoke(payload, what);
    if (output.StatusCode !== ACCEPTED) {
      throw new DispatchError(`${what} was answered with status ${output.StatusCode}, not ${ACCEPTED}`, {
        retryable: false,
      });
    }
  }

  private async invoke(payload: WorkerPayload, what: string): Promise<InvokeCommandOutput> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new DispatchError(`${what} did not finish within ${this.deadlineMs} ms`, { retryable: true }));
        controller.abort();
      }, this.deadlineMs);
    });
    const command = new InvokeCommand({
      FunctionName: this.functionName,
      InvocationType: "Event",
      Payload: encoder.encode(JSON.stringify(payload)),
    });
    try {
      return await Promise.race([this.client.send(command, { abortSignal: controller.signal }), deadline]);
    } catch (error) {
      if (error instanceof DispatchError) throw error;
      throw new DispatchError(`${what} failed: ${describe(error)}`, {
        retryable: isRetryable(error),
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Whether dispatching again later could succeed: throttling (429), a function being updated (409), Lambda's
 * own faults (5xx) and anything that never got an HTTP answer (network, timeout) could; a missing function,
 * a denied permission or a refused request will not until someone changes the deployment.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (error.name === "CredentialsProviderError") return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === undefined) return true;
  return status === 429 || status === 409 || status >= 500;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined
    ? `${error.name}: ${error.message}`
    : `${error.name} (HTTP ${status}): ${error.message}`;
}
