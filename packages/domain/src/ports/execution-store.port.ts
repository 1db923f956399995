import type { ServiceIdentifier } from "inversify";
import type { Execution, ExecutionKey, ExecutionStatus } from "../execution/execution.ts";

export interface CreateResult {
  /** false when an execution with this key already existed; `execution` is then the existing one. */
  readonly created: boolean;
  readonly execution: Execution;
}

export interface ExpectedState {
  readonly version: number;
  readonly status: ExecutionStatus;
}

/**
 * Where executions live. Every write is conditional, so concurrent writers cannot both win.
 *
 * - Reads are strongly consistent; an execution past its `expiresAt` reads as absent.
 * - `transition` writes `next` only if the stored execution still has the expected version and status
 *   and is not terminal; otherwise it throws `StaleExecutionError` (`stale_version`), carrying the stored
 *   execution as `current` when the backend returns it with the refusal (else the writer reads it).
 * - The stored execution is exactly what was written: `lastWriter` included, and removed when a write
 *   carries none. That is what lets a writer whose reply was lost (the write landed, a retry of it was
 *   refused, or the call gave up with `store_unavailable`) recognise its write by re-reading: its own token
 *   at the version it wrote. Sending the same write or create again is therefore safe.
 * - Capacity or connectivity failures throw `StoreUnavailableError` (`store_unavailable`);
 *   an execution too large to store throws `ItemTooLargeError` (`item_too_large`).
 */
export interface ExecutionStore {
  get(key: ExecutionKey): Promise<Execution | undefined>;
  createIfAbsent(execution: Execution): Promise<CreateResult>;
  transition(next: Execution, expected: ExpectedState): Promise<Execution>;
  /** Executions of `contactId` with a turn lower than `beforeTurn`, newest first, at most `limit`. */
  recentTurns(contactId: string, beforeTurn: number, limit: number): Promise<Execution[]>;
}

export const ExecutionStoreId: ServiceIdentifier<ExecutionStore> = Symbol.for("holdline.ExecutionStore");
