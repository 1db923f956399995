import { type ErrorCode, InvalidTurnError, TransitionRefusedError } from "../errors.ts";

export type ExecutionStatus = "queued" | "running" | "completed" | "failed";

/** An execution is the work of answering one caller turn; (contactId, turn) is its identity. */
export interface ExecutionKey {
  readonly contactId: string;
  readonly turn: number;
}

export interface ExecutionInput {
  readonly question: string;
  /** BCP 47 tag of the caller's language, e.g. `ja-JP`, `en-US`. */
  readonly locale: string;
}

export interface ExecutionFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly latencyMs: number;
  readonly modelId?: string;
}

/** All instants are epoch milliseconds, except `expiresAt`, which is epoch seconds as DynamoDB TTL expects. */
export interface Execution extends ExecutionKey {
  readonly status: ExecutionStatus;
  /** Incremented by every write; each transition is conditional on the version it read. */
  readonly version: number;
  /** Number of claims so far (0 while queued). */
  readonly attempt: number;
  readonly leaseUntil?: number;
  readonly deadlineAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Last time the work was handed to the dispatcher; a queued execution older than this is presumed lost. */
  readonly dispatchedAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly input: ExecutionInput;
  readonly answer?: string;
  readonly error?: ExecutionFailure;
  readonly usage?: ModelUsage;
  readonly expiresAt: number;
  /**
   * The token of the writer whose write produced this version (`newWriterToken()`, one per run of a use
   * case); absent when that write carried none. A writer whose reply was lost re-reads and, finding its
   * own token at the version it wrote, knows its write landed (`wroteThis`).
   */
  readonly lastWriter?: string;
}

/**
 * The transition table. `queued → queued` is the bookkeeping write that re-dispatches lost work;
 * `running → running` is a re-claim after the lease expired. Terminal states have no way out.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  queued: ["queued", "running", "failed"],
  running: ["running", "completed", "failed"],
  completed: [],
  failed: [],
};

export const isTerminal = (execution: Pick<Execution, "status">): boolean =>
  execution.status === "completed" || execution.status === "failed";

export const isPastDeadline = (execution: Execution, now: number): boolean =>
  !isTerminal(execution) && now >= execution.deadlineAt;

/** A running attempt whose lease has run out: it stopped renewing it (crashed, or cut off from the store). */
export const isLeaseOver = (execution: Execution, now: number): boolean =>
  execution.status === "running" && execution.leaseUntil !== undefined && now >= execution.leaseUntil;

export const keyOf = (execution: ExecutionKey): ExecutionKey => ({
  contactId: execution.contactId,
  turn: execution.turn,
});

export const formatKey = (key: ExecutionKey): string => `${key.contactId}#${key.turn}`;

export const sameInput = (a: ExecutionInput, b: ExecutionInput): boolean =>
  a.question === b.question && a.locale === b.locale;

function assertTransition(execution: Execution, to: ExecutionStatus): void {
  if (!ALLOWED_TRANSITIONS[execution.status].includes(to)) {
    throw new TransitionRefusedError(
      "invalid_transition",
      execution.status,
      to,
      `execution ${formatKey(execution)} cannot go from ${execution.status} to ${to}`,
    );
  }
}

/**
 * A token unique to one run of a use case: every write that run makes carries it as `lastWriter`. Random, so
 * two deliveries of the same event (which may share a Lambda request id) never take each other's writes for
 * their own; prefixed with the invocation's id when there is one (`<invocation>/<random>`), so a failure
 * record naming that invocation can tell whether it holds the running attempt (`isHeldByInvocation`).
 */
export const newWriterToken = (invocationId?: string): string => {
  const random = globalThis.crypto.randomUUID();
  return invocationId === undefined || invocationId === "" ? random : `${invocationId}/${random}`;
};

/** Whether the running attempt's last write (its claim or a renewal) was made by a run of this invocation. */
export const isHeldByInvocation = (execution: Execution, invocationId: string): boolean =>
  execution.status === "running" &&
  invocationId !== "" &&
  (execution.lastWriter?.startsWith(`${invocationId}/`) ?? false);

/**
 * Whether `stored` is the image `written` left when it landed as version `version`: the same writer's token,
 * that version, that status. A writer that finds this after a refusal or a lost reply knows its write landed
 * (the refusal was the store's answer to a retry of it). Never true for a write without a token.
 */
export function wroteThis(stored: Execution | undefined, written: Execution, version: number): boolean {
  return (
    stored !== undefined &&
    written.lastWriter !== undefined &&
    stored.lastWriter === written.lastWriter &&
    stored.version === version &&
    stored.status === written.status
  );
}

/** Who makes a write: the writer's token (`newWriterToken()`); a write without one cannot be recognised. */
export interface WrittenBy {
  readonly by?: string;
}

function advance(
  execution: Execution,
  now: number,
  by: string | undefined,
  changes: Partial<Execution>,
): Execution {
  // The previous writer's token never survives a write: it would take this version for its own.
  const { lastWriter: _previous, ...rest } = execution;
  return {
    ...rest,
    ...changes,
    version: execution.version + 1,
    updatedAt: now,
    ...(by === undefined ? {} : { lastWriter: by }),
  };
}

export interface NewExecution extends WrittenBy {
  readonly key: ExecutionKey;
  readonly input: ExecutionInput;
  readonly now: number;
  readonly deadlineMs: number;
  readonly retentionSeconds: number;
}

export function newExecution({ key, input, now, deadlineMs, retentionSeconds, by }: NewExecution): Execution {
  if (!Number.isInteger(key.turn) || key.turn < 1) {
    throw new InvalidTurnError(key.turn);
  }
  return {
    contactId: key.contactId,
    turn: key.turn,
    status: "queued",
    version: 1,
    attempt: 0,
    deadlineAt: now + deadlineMs,
    createdAt: now,
    updatedAt: now,
    dispatchedAt: now,
    input,
    expiresAt: Math.ceil((now + deadlineMs) / 1000) + retentionSeconds,
    ...(by === undefined ? {} : { lastWriter: by }),
  };
}

export interface ClaimOptions extends WrittenBy {
  readonly now: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
}

/** `queued → running`, or `running → running` once the previous holder's lease has expired. */
export function claim(execution: Execution, { now, leaseMs, maxAttempts, by }: ClaimOptions): Execution {
  assertTransition(execution, "running");
  if (execution.status === "running") {
    if (execution.leaseUntil !== undefined && now < execution.leaseUntil) {
      throw new TransitionRefusedError(
        "lease_held",
        "running",
        "running",
        `execution ${formatKey(execution)} is leased until ${execution.leaseUntil}`,
      );
    }
  }
  if (execution.attempt >= maxAttempts) {
    throw new TransitionRefusedError(
      "attempts_exhausted",
      execution.status,
      "running",
      `execution ${formatKey(execution)} already had ${execution.attempt} of ${maxAttempts} attempts`,
    );
  }
  return advance(execution, now, by, {
    status: "running",
    attempt: execution.attempt + 1,
    leaseUntil: Math.min(now + leaseMs, execution.deadlineAt),
    startedAt: execution.startedAt ?? now,
  });
}

/**
 * `running → running` by the attempt holding the lease: extends it to `now + leaseMs` (capped by the
 * deadline), keeping the attempt. The heartbeat of a running attempt.
 */
export function renew(
  execution: Execution,
  { now, leaseMs, by }: { now: number; leaseMs: number } & WrittenBy,
): Execution {
  if (execution.status !== "running") {
    throw new TransitionRefusedError(
      "invalid_transition",
      execution.status,
      "running",
      `execution ${formatKey(execution)} is ${execution.status}, only a running execution's lease is renewed`,
    );
  }
  return advance(execution, now, by, { leaseUntil: Math.min(now + leaseMs, execution.deadlineAt) });
}

export function complete(
  execution: Execution,
  { now, answer, usage, by }: { now: number; answer: string; usage?: ModelUsage } & WrittenBy,
): Execution {
  assertTransition(execution, "completed");
  return advance(execution, now, by, {
    status: "completed",
    answer,
    ...(usage === undefined ? {} : { usage }),
    leaseUntil: undefined,
    finishedAt: now,
  });
}

export function fail(
  execution: Execution,
  { now, error, by }: { now: number; error: ExecutionFailure } & WrittenBy,
): Execution {
  assertTransition(execution, "failed");
  return advance(execution, now, by, {
    status: "failed",
    error,
    leaseUntil: undefined,
    finishedAt: now,
  });
}

/** `queued → queued`: records that the work was handed to the dispatcher again. */
export function redispatch(execution: Execution, { now, by }: { now: number } & WrittenBy): Execution {
  if (execution.status !== "queued") {
    throw new TransitionRefusedError(
      "invalid_transition",
      execution.status,
      "queued",
      `execution ${formatKey(execution)} is ${execution.status}, only a queued execution is re-dispatched`,
    );
  }
  return advance(execution, now, by, { dispatchedAt: now });
}

/**
 * `running → running` once the running attempt's lease is over: records that the work was handed to the
 * dispatcher again, so that a new attempt re-claims it and only one reader dispatches.
 */
export function redispatchAfterLease(
  execution: Execution,
  { now, by }: { now: number } & WrittenBy,
): Execution {
  if (!isLeaseOver(execution, now)) {
    throw new TransitionRefusedError(
      "lease_held",
      execution.status,
      "running",
      `execution ${formatKey(execution)} has no running attempt whose lease is over`,
    );
  }
  return advance(execution, now, by, { dispatchedAt: now });
}

/** What a running attempt that stopped renewing its lease, with no attempt left to replace it, fails with. */
export const attemptStopped = (execution: Execution): ExecutionFailure => ({
  code: "worker_failed",
  message: `attempt ${execution.attempt} of ${formatKey(execution)} stopped renewing its lease at ${execution.leaseUntil}`,
  retryable: false,
});

export const deadlineExceeded = (execution: Execution): ExecutionFailure => ({
  code: "deadline_exceeded",
  message: `no answer for ${formatKey(execution)} before its deadline`,
  retryable: false,
});
