import type { ServiceIdentifier } from "inversify";
import type { ExecutionInput, ExecutionKey } from "../execution/execution.ts";

/**
 * A turn whose create the store did not confirm before the caller had to be answered: the caller heard an
 * error, and the create may still land. Whoever receives it (`AbandonStart`) makes sure the turn ends failed.
 */
export interface AbandonedStart {
  readonly key: ExecutionKey;
  /** The create's writer token: finding it on the stored execution means the create landed. */
  readonly writer: string;
  readonly input: ExecutionInput;
  readonly createdAt: number;
  readonly deadlineAt: number;
}

/**
 * Hands work to a worker that will do it later (an asynchronous Lambda invocation in production).
 * Delivery is at least once; a failure throws `DispatchError` (`dispatch_failed`). A transient one
 * (`retryable`: throttling, the service's faults, no answer) leaves the execution queued until the start or
 * status path dispatches it again; one that no retry can fix (`retryable: false`: the function is missing,
 * access is denied, the request is invalid) fails the execution `dispatch_failed` at once.
 */
export interface WorkDispatcher {
  /** Run the execution with this key (`RunExecution`). */
  dispatch(key: ExecutionKey): Promise<void>;
  /** End a turn whose start was abandoned (`AbandonStart`); the same delivery and errors as `dispatch`. */
  abandon(start: AbandonedStart): Promise<void>;
}

export const WorkDispatcherId: ServiceIdentifier<WorkDispatcher> = Symbol.for("holdline.WorkDispatcher");
