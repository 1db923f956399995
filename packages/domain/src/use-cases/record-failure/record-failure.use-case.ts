import type { ServiceIdentifier } from "inversify";
import {
  type Execution,
  type ExecutionFailure,
  type ExecutionKey,
  fail,
  isHeldByInvocation,
  isLeaseOver,
  isTerminal,
  mayReattempt,
  newWriterToken,
} from "../../execution/execution.ts";
import type { ExecutionPolicy } from "../../execution/execution-policy.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { ExecutionStore } from "../../ports/execution-store.port.ts";
import { writeOrObserve } from "../conditional-write.ts";

export interface RecordFailureCommand {
  readonly key: ExecutionKey;
  readonly error: ExecutionFailure;
  /** The id of the invocation that failed (the record's request id), when the record names it. */
  readonly invocationId?: string;
}

export interface RecordFailureResult {
  /** `undefined` when no such execution exists (already expired, or never started). */
  readonly execution: Execution | undefined;
  /** Whether this call is the one that failed the execution. */
  readonly recorded: boolean;
  /**
   * Whether the record was left to the running attempt's lease instead: the attempt may still be alive (its
   * lease runs), or a new attempt may replace it; the first reader after the lease decides.
   */
  readonly deferred?: true;
}

/**
 * Marks an execution failed from a failure-destination record, so the caller hears an error instead of
 * waiting out the deadline. A terminal execution is left as it is; a redelivered record is a no-op. With a
 * renewed lease (`policy.heartbeatMs`), a running execution is left to its lease while another attempt may
 * still start (the first reader after the lease dispatches it; none may once the attempt recorded parts of its
 * answer). Otherwise it is failed at once if the record
 * names the invocation holding the running attempt (its writer token's prefix); a record that does not may
 * be an earlier attempt's, so the running attempt is left to its lease while that runs.
 */
export class RecordFailure {
  constructor(
    private readonly store: ExecutionStore,
    private readonly clock: Clock,
    private readonly policy?: ExecutionPolicy,
  ) {}

  async execute({ key, error, invocationId }: RecordFailureCommand): Promise<RecordFailureResult> {
    const current = await this.store.get(key);
    if (current === undefined) return { execution: undefined, recorded: false };
    const now = this.clock.now();
    const by = newWriterToken();
    let deferred: boolean = false;
    const outcome = await writeOrObserve(this.store, current, (latest) => {
      deferred = this.leftToLease(latest, now, invocationId);
      return isTerminal(latest) || deferred ? undefined : fail(latest, { now, error, by });
    });
    return { execution: outcome.execution, recorded: outcome.won, ...(deferred ? { deferred } : {}) };
  }

  private leftToLease(execution: Execution, now: number, invocationId: string | undefined): boolean {
    const policy = this.policy;
    if (policy?.heartbeatMs === undefined || execution.status !== "running") return false;
    const anotherMayStart =
      execution.attempt < policy.maxAttempts &&
      execution.deadlineAt - now >= (policy.attemptRoomMs ?? 0) &&
      mayReattempt(execution);
    // The record names the invocation holding the running attempt: that attempt is dead, no need to wait.
    if (invocationId !== undefined && isHeldByInvocation(execution, invocationId)) return anotherMayStart;
    if (!isLeaseOver(execution, now)) return true;
    return anotherMayStart;
  }
}

export const RecordFailureId: ServiceIdentifier<RecordFailure> = Symbol.for("holdline.RecordFailure");
