import { DispatchError } from "../../../src/errors.ts";
import { type ExecutionKey, formatKey } from "../../../src/execution/execution.ts";
import type { AbandonedStart, WorkDispatcher } from "../../../src/ports/work-dispatcher.port.ts";

/**
 * A `WorkDispatcher` that records what it was asked to dispatch or abandon. It can lose or refuse either
 * (`failNext`), and can hand each dispatched key (each abandoned start) to a listener, e.g. to run the
 * worker in-process.
 */
export class RecordingDispatcher implements WorkDispatcher {
  readonly dispatched: ExecutionKey[] = [];
  readonly abandoned: AbandonedStart[] = [];
  private failuresLeft = 0;
  private failuresRetryable = true;

  constructor(
    private readonly onDispatch?: (key: ExecutionKey) => void,
    private readonly onAbandon?: (start: AbandonedStart) => void,
  ) {}

  /**
   * The next `count` dispatches fail with `dispatch_failed`: transiently (a lost or throttled `Invoke`) by
   * default, or, with `retryable` false, for good (a missing function, denied access).
   */
  failNext(count = 1, retryable = true): void {
    this.failuresLeft = count;
    this.failuresRetryable = retryable;
  }

  async dispatch(key: ExecutionKey): Promise<void> {
    await this.maybeFail(`dispatch of ${formatKey(key)}`);
    this.dispatched.push({ contactId: key.contactId, turn: key.turn });
    this.onDispatch?.(key);
  }

  async abandon(start: AbandonedStart): Promise<void> {
    await this.maybeFail(`abandon of ${formatKey(start.key)}`);
    this.abandoned.push(start);
    this.onAbandon?.(start);
  }

  private async maybeFail(what: string): Promise<void> {
    await Promise.resolve();
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new DispatchError(`simulated ${this.failuresRetryable ? "lost" : "refused"} ${what}`, {
        retryable: this.failuresRetryable,
      });
    }
  }
}
