import type { ServiceIdentifier } from "inversify";

/** The timing and retention rules every use case shares; `deriveBudget()` (@holdline/budget) makes them. */
export interface ExecutionPolicy {
  /** How long after start an answer is still useful to the caller. */
  readonly deadlineMs: number;
  /**
   * How long a worker's claim (and each renewal of it) excludes other workers; capped by the deadline. With
   * `heartbeatMs`, a short lease the running attempt keeps renewing, so a crash shows within `leaseMs`.
   */
  readonly leaseMs: number;
  /**
   * How often the running attempt renews its lease while the model works. Absent: the lease is never
   * renewed, so it must outlast the attempt, and a crash only shows when it ends.
   */
  readonly heartbeatMs?: number;
  /** Claims allowed per execution (first run plus re-claims after a lost lease). */
  readonly maxAttempts: number;
  /**
   * A new attempt after a crash is started only with at least this long left before the deadline;
   * otherwise the execution fails at once. Absent: 0.
   */
  readonly attemptRoomMs?: number;
  /** A queued execution not picked up for this long is presumed lost and dispatched again. */
  readonly lostDispatchAfterMs: number;
  /** Interval between store reads while waiting for an answer. */
  readonly pollIntervalMs: number;
  /** How long a finished execution stays readable after its deadline (drives the store's TTL). */
  readonly retentionSeconds: number;
  /** Earlier turns of the same call passed to the model. */
  readonly historyTurns: number;
  /**
   * Progressive answers: the worker hands the model a part listener and records each speakable part as soon as
   * it is complete (`appendParts`), so a reader can speak the beginning of an answer while the rest is being
   * written. Absent or false: only the complete answer is recorded (the parts the model returned with it).
   */
  readonly recordParts?: boolean;
}

export const ExecutionPolicyId: ServiceIdentifier<ExecutionPolicy> = Symbol.for("holdline.ExecutionPolicy");
