import { DispatchError } from "../../../src/errors.ts";
import { type ExecutionKey, formatKey } from "../../../src/execution/execution.ts";
import type { WorkDispatcher } from "../../../src/ports/work-dispatcher.port.ts";

/**
 * A `WorkDispatcher` that records what it was asked to dispatch. It can lose or refuse dispatches
 * (`failNext`), and can hand each dispatched key to a listener, e.g. to run the worker in-process.
 */
export class RecordingDispatcher implements WorkDispatcher {
  readonly dispatched: ExecutionKey[] = [];
  private failuresLeft = 0;
  private failuresRetryable = true;

  constructor(private readonly onDispatch?: (key: ExecutionKey) => void) {}

  /**
   * The next `count` dispatches fail with `dispatch_failed`: transiently (a lost or throttled `Invoke`) by
   * default, or, with `retryable` false, for good (a missing function, denied access).
   */
  failNext(count = 1, retryable = true): void {
    this.failuresLeft = count;
    this.failuresRetryable = retryable;
  }

  async dispatch(key: ExecutionKey): Promise<void> {
    await Promise.resolve();
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new DispatchError(
        `simulated ${this.failuresRetryable ? "lost" : "refused"} dispatch of ${formatKey(key)}`,
        { retryable: this.failuresRetryable },
      );
    }
    this.dispatched.push({ contactId: key.contactId, turn: key.turn });
    this.onDispatch?.(key);
  }
}
