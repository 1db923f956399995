import type { ServiceIdentifier } from "inversify";
import { DispatchError } from "../errors.ts";
import {
  attemptStopped,
  deadlineExceeded,
  type Execution,
  fail,
  isLeaseOver,
  isPastDeadline,
  keyOf,
  mayReattempt,
  newWriterToken,
  redispatch,
  redispatchAfterLease,
} from "../execution/execution.ts";
import type { ExecutionPolicy } from "../execution/execution-policy.ts";
import type { Clock } from "../ports/clock.port.ts";
import { type ExecutionEvents, NO_EVENTS } from "../ports/execution-events.port.ts";
import type { ExecutionStore } from "../ports/execution-store.port.ts";
import type { WorkDispatcher } from "../ports/work-dispatcher.port.ts";
import { type WriteOptions, writeOrObserve } from "./conditional-write.ts";

/**
 * What every reader of an execution does on the caller's behalf: fail it once its deadline has passed,
 * hand queued work to the dispatcher again when its dispatch evidently got lost, and, when a running
 * attempt's lease is over (it stopped renewing it: crashed), dispatch a new attempt if `maxAttempts` and the
 * deadline allow and it recorded no part of its answer, or fail it at once. Every action goes through a conditional write, so among concurrent
 * readers exactly one acts.
 */
export class ExecutionSupervisor {
  constructor(
    private readonly store: ExecutionStore,
    private readonly dispatcher: WorkDispatcher,
    private readonly clock: Clock,
    private readonly policy: ExecutionPolicy,
    private readonly events: ExecutionEvents = NO_EVENTS,
  ) {}

  private get writes(): WriteOptions {
    return { events: this.events };
  }

  async supervise(execution: Execution): Promise<Execution> {
    const now = this.clock.now();
    const by = newWriterToken();
    if (isPastDeadline(execution, now)) {
      const outcome = await writeOrObserve(
        this.store,
        execution,
        (current) =>
          isPastDeadline(current, now)
            ? fail(current, { now, error: deadlineExceeded(current), by })
            : undefined,
        this.writes,
      );
      return outcome.execution ?? execution;
    }
    if (execution.status === "queued" && now - execution.dispatchedAt >= this.policy.lostDispatchAfterMs) {
      const outcome = await writeOrObserve(
        this.store,
        execution,
        (current) =>
          current.status === "queued" && now - current.dispatchedAt >= this.policy.lostDispatchAfterMs
            ? redispatch(current, { now, by })
            : undefined,
        this.writes,
      );
      return outcome.won && outcome.execution !== undefined
        ? this.dispatch(outcome.execution)
        : (outcome.execution ?? execution);
    }
    if (isLeaseOver(execution, now)) {
      const outcome = await writeOrObserve(
        this.store,
        execution,
        (current) => this.afterLease(current, now, by),
        this.writes,
      );
      const after = outcome.execution;
      if (!outcome.won || after === undefined) return after ?? execution;
      if (after.status === "running") {
        this.events.report({ kind: "reclaimed_after_lease", key: keyOf(after), attempt: after.attempt });
        return this.dispatch(after);
      }
      this.events.report({ kind: "attempt_stopped", key: keyOf(after), attempt: after.attempt });
      return after;
    }
    return execution;
  }

  /**
   * A running attempt whose lease is over: fail it when no further attempt may start (none left, too little
   * time before the deadline, or it recorded parts of its answer, which the caller may have heard and another
   * model call would not continue); otherwise hand it to the dispatcher again, once per lease, and again
   * when that dispatch evidently got lost.
   */
  private afterLease(current: Execution, now: number, by: string): Execution | undefined {
    if (!isLeaseOver(current, now)) return undefined;
    const room = current.deadlineAt - now;
    if (
      current.attempt >= this.policy.maxAttempts ||
      room < (this.policy.attemptRoomMs ?? 0) ||
      !mayReattempt(current)
    ) {
      return fail(current, { now, error: attemptStopped(current), by });
    }
    const dispatchedSinceLease = current.dispatchedAt >= (current.leaseUntil ?? 0);
    if (dispatchedSinceLease && now - current.dispatchedAt < this.policy.lostDispatchAfterMs)
      return undefined;
    return redispatchAfterLease(current, { now, by });
  }

  /**
   * Hands the execution to the dispatcher and returns the state that stands afterwards. A transient refusal
   * (`DispatchError` retryable: throttling, Lambda's faults, timeouts) leaves it queued for the next reader
   * past `lostDispatchAfterMs`. A refusal that no retry can fix (the function is missing, access is denied,
   * the request is invalid) fails the queued execution `dispatch_failed` at once, so the caller hears the
   * error prompt now instead of fillers until the deadline.
   */
  async dispatch(execution: Execution): Promise<Execution> {
    try {
      await this.dispatcher.dispatch(keyOf(execution));
      return execution;
    } catch (error) {
      if (!(error instanceof DispatchError)) throw error;
      if (error.retryable) return execution;
      const now = this.clock.now();
      const by = newWriterToken();
      const failure = { code: "dispatch_failed" as const, message: error.message, retryable: false };
      // Only work nobody holds: a worker that an earlier dispatch reached keeps its claim.
      const outcome = await writeOrObserve(
        this.store,
        execution,
        (current) =>
          current.status === "queued" || isLeaseOver(current, now)
            ? fail(current, { now, error: failure, by })
            : undefined,
        this.writes,
      );
      if (outcome.won)
        this.events.report({ kind: "dispatch_refused", key: keyOf(execution), reason: error.message });
      return outcome.execution ?? execution;
    }
  }

  /**
   * Hands a start whose create was never confirmed to the dispatcher, to be ended (`AbandonStart`). A refusal
   * is not thrown (the caller is being told an error already): the turn is then left to expire; a create
   * that landed stays queued until its TTL.
   */
  async abandon(unconfirmed: Execution): Promise<void> {
    try {
      await this.dispatcher.abandon({
        key: keyOf(unconfirmed),
        writer: unconfirmed.lastWriter ?? "",
        input: unconfirmed.input,
        createdAt: unconfirmed.createdAt,
        deadlineAt: unconfirmed.deadlineAt,
      });
    } catch (error) {
      if (!(error instanceof DispatchError)) throw error;
    }
  }
}

export const ExecutionSupervisorId: ServiceIdentifier<ExecutionSupervisor> = Symbol.for(
  "holdline.ExecutionSupervisor",
);
