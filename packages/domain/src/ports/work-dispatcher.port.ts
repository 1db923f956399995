import type { ServiceIdentifier } from "inversify";
import type { ExecutionKey } from "../execution/execution.ts";

/**
 * Hands an execution to a worker that will run it later (an asynchronous Lambda invocation in production).
 * Delivery is at least once; a failure throws `DispatchError` (`dispatch_failed`) and the execution stays
 * queued until the start or status path dispatches it again.
 */
export interface WorkDispatcher {
  dispatch(key: ExecutionKey): Promise<void>;
}

export const WorkDispatcherId: ServiceIdentifier<WorkDispatcher> = Symbol.for("holdline.WorkDispatcher");
