import { DispatchError } from "../../../src/errors.ts";
import { type ExecutionKey, formatKey } from "../../../src/execution/execution.ts";
import type { WorkDispatcher } from "../../../src/ports/work-dispatcher.port.ts";

/**
 * A `WorkDispatcher` that records what it was asked to dispatch. It can lose dispatches
 * (`failNext`), and can hand each dispatched key to a listener, e.g. to run the worker in-process.
 */
export class RecordingDispatcher implements WorkDispatcher {
  readonly dispatched: ExecutionKey[] = [];
  private failuresLeft = 0;

  constructor(private readonly onDispatch?: (key: ExecutionKey) => void) {}

  /** The next `count` dispatches fail with `dispatch_failed`. */
  failNext(count = 1): void {
    this.failuresLeft = count;
  }

  async dispatch(key: ExecutionKey): Promise<void> {
    await Promise.resolve();
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new DispatchError(`simulated lost dispatch of ${formatKey(key)}`);
    }
    this.dispatched.push({ contactId: key.contactId, turn: key.turn });
    this.onDispatch?.(key);
  }
}
