import type { ServiceIdentifier } from "inversify";
import type { ExecutionKey } from "../execution/execution.ts";

/**
 * Hands an execution to a worker that will run it later (an asynchronous Lambda invocation in production).
 * Delivery is at least once; a failure throws `DispatchError` (`dispatch_failed`). A transient one
 * (`retryable`: throttling, the service's faults, no answer) leaves the execution queued until the start or
 * status path dispatches it again; one that no retry can fix (`retryable: false`: the function is missing,
 * access is denied, the request is invalid) fails the execution `dispatch_failed` at once.
 */
export interface WorkDispatcher {
  dispatch(key: ExecutionKey): Promise<void>;
}

export const WorkDispatcherId: ServiceIdentifier<WorkDispatcher> = Symbol.for("holdline.WorkDispatcher");
